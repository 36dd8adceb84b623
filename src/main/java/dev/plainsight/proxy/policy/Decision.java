package dev.plainsight.proxy.policy;

/**
 * The outcome of asking one {@link Policies} list about a request: the final verdict (or {@link
 * Verdict#PASS} if no decider had one); {@code admitted}, the last {@link Verdict.Admit} given on
 * the way (null if none: the connection's participant stays as it was); {@code by}, the decider
 * that gave the final verdict (null for none).
 */
public record Decision(Verdict verdict, Verdict.Admit admitted, String by) {}
