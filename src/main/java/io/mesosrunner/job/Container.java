package io.mesosrunner.job;

import jakarta.validation.constraints.NotBlank;

/** A container image an instance runs in (a Mesos UCR container). */
public record Container(@NotBlank(message = "must not be empty") String image) {}
