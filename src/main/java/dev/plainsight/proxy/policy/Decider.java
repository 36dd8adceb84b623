package dev.plainsight.proxy.policy;

/**
 * One policy that decides about request heads: refuse, ask for credentials, answer, admit on
 * behalf of a participant, tunnel or intercept, or pass. The proxy asks the deciders of one
 * {@link Policies} list in order, once per request head, before anything is forwarded; the first
 * final verdict ({@link Verdict#isFinal}) wins. A decider must be quick, must not block (it runs
 * on the proxy's I/O loop) and must not throw; it sees no Netty or LittleProxy type. Deciders do
 * not change messages (that is a {@link dev.plainsight.tamper.TamperRules modifier}'s job) and do
 * not record them (that is an observer's, {@link dev.plainsight.flow.FlowListener}).
 */
@FunctionalInterface
public interface Decider {
  Verdict decide(Request request);
}
