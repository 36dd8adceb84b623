package dev.plainsight.flow;

/** One header line as it was seen, name in its original case. */
public record Header(String name, String value) {}
