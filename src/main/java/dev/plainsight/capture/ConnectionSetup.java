package dev.plainsight.capture;

/** How long each step of setting up an intercepted HTTPS connection took, in milliseconds. */
public record ConnectionSetup(Long dnsMs, Long connectMs, Long tlsUpstreamMs, Long tlsClientMs) {}
