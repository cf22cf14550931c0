package io.kpsim.report.html;

/**
 * The connections one endpoint pod served, by outcome.
 *
 * @param pod the endpoint pod
 * @param address its address and port
 * @param connections connections whose SYN reached it
 * @param closed closed in order
 * @param reset reset
 * @param open still open when the run ended
 */
public record EndpointTally(String pod, Address address, long connections, long closed, long reset, long open) {}
