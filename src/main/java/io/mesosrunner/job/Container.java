package io.mesosrunner.job;

/** A container image an instance runs in (a Mesos UCR container). */
public record Container(String image) {}
