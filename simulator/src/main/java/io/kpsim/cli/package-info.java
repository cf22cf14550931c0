/**
 * The {@code kpsim} command line (picocli): parses options, delegates to the replay, oracle,
 * scenario and report packages, and maps failures to exit codes (0 success, 1 expectations or
 * differences, 2 bad input). The only package that imports picocli.
 */
package io.kpsim.cli;
