package io.kpsim.tcp;

/** What an arriving ACK field means to the sender (RFC 9293 §3.10.7.4, fifth step). */
enum AckKind {

    /** It acknowledges new data. */
    NEW,
    /** A duplicate ACK by RFC 5681 §2's definition. */
    DUPLICATE,
    /** Acceptable, but neither new nor a duplicate (window update, old ACK). */
    OTHER,
    /** It acknowledges something never sent. */
    UNSENT,
    /** It is older than SND.UNA - MAX.SND.WND (RFC 5961 §5.2). */
    TOO_OLD
}
