package dev.plainsight.store;

/**
 * Told, on the writer thread, the ids of the flows of each transaction just committed (durable
 * from then on against a crash of the process). Must return quickly and must not call the store's
 * writing methods.
 */
@FunctionalInterface
public interface CommitListener {
  void committed(long[] ids);
}
