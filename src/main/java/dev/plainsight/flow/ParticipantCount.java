package dev.plainsight.flow;

/** A participant seen in the captured flows ({@code --proxy-auth}) and how many flows they have. */
public record ParticipantCount(String name, long flows) {}
