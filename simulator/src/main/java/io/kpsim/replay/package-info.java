/**
 * Replay of captured packets through one node's netfilter and conntrack: the engine behind
 * {@code kpsim replay} and the model side of {@code kpsim oracle}.
 *
 * <p>Owns the per-record result ({@link io.kpsim.replay.ReplayRecord}) and its JSON Lines form.
 * Depends on pcap, netfilter, conntrack and packet; knows nothing of the CLI.
 */
package io.kpsim.replay;
