package dev.plainsight.store;

/** A participant seen in the captured flows ({@code --proxy-auth}) and how many flows they have. */
public record ParticipantCount(String name, long flows) {}
