package io.kpsim.cluster;

/**
 * A client workload's handler of one connection, which is also the {@link ConnectionLedger}'s record
 * of that connection: the server's handler of the accepted end points at it, so a reset on either
 * end, or on both, counts once. It replaces a record object of its own per connection (24 bytes,
 * issue 17's memory per connection); its one flag fits into the handler's padding.
 */
abstract class ClientSession extends OpenSession {

    /** Whether either end of the connection was reset (counted in {@link ConnectionLedger#resets}). */
    boolean reset;
}
