/**
 * The {@code kpsim} command line (picocli): parses options, delegates to the replay, oracle,
 * scenario and report packages, and maps failures to exit codes: 0 success, 1 expectations or
 * differences, 2 bad input or an environment that refuses (a {@link io.kpsim.fault.UserFault}),
 * 3 an internal error, said to be a kpsim bug with what reproduces it; 130 and 143 after SIGINT
 * and SIGTERM, 141 when standard output's pipe is closed. The only package that imports picocli.
 */
package io.kpsim.cli;
