package io.mesosrunner.job;

import jakarta.validation.constraints.NotBlank;

/**
 * One entry of a job's {@code uris}: something fetched into the task's sandbox before its command
 * starts, as the Mesos fetcher does with a {@code CommandInfo.URI}.
 *
 * @param value      an http(s) or file URI, or a path (relative to the job file's directory on the
 *                   local cluster; on Mesos the fetcher reads it on the agent)
 * @param executable whether the fetched file is made executable
 * @param extract    whether an archive ({@code .tar.gz}, {@code .tgz}, {@code .zip}, ...) is
 *                   extracted into the sandbox; other files are copied as they are either way
 */
public record FetchUri(@NotBlank(message = "must not be empty") String value, boolean executable, boolean extract) {

  /** A URI written as a plain string: not made executable, extracted if it is an archive (Mesos's defaults). */
  public static FetchUri of(String value) {
    return new FetchUri(value, false, true);
  }
}
