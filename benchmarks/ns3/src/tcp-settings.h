// ns-3's TCP set up as kpsim's TcpConfig.linux() (simulator/src/main/java/io/kpsim/tcp/TcpConfig.java).
#ifndef KPSIM_BENCH_TCP_SETTINGS_H
#define KPSIM_BENCH_TCP_SETTINGS_H

#include <cstdint>

namespace kpsimbench
{

/**
 * What every pod's TCP uses, in kpsim's terms. The defaults are kpsim's TcpConfig.linux(); the
 * comment on each names the ns-3 3.37 default it replaces, because most of them differ.
 */
struct TcpSettings
{
    uint32_t mss = 1460;              // ns-3: SegmentSize 536
    uint32_t initialCwndSegments = 10; // ns-3: InitialCwnd 10 (the same)
    bool sack = true;                 // ns-3: Sack true (the same)
    bool windowScaling = true;        // ns-3: WindowScaling true (the same)
    bool timestamps = false;          // ns-3: Timestamp true; kpsim sends no timestamp option
    uint32_t ackEverySegments = 1;    // ns-3: DelAckCount 2; kpsim ACKs every segment at once
    double minRtoSeconds = 0.2;       // ns-3: MinRto 1 s; kpsim and Linux: TCP_RTO_MIN 200 ms
    double initialRtoSeconds = 1.0;   // ns-3: ConnTimeout 3 s (SYN), RttEstimator 1 s
    uint32_t synRetries = 6;          // ns-3: ConnCount 6 (the same as tcp_syn_retries)
    uint32_t dataRetries = 15;        // ns-3: DataRetries 6; kpsim: tcp_retries2 15
    double timeWaitSeconds = 60.0;    // ns-3: 2 * MaxSegLifetime 120 s = 240 s; kpsim 60 s
    bool limitedTransmit = false;     // ns-3: LimitedTransmit true; kpsim has no RFC 3042
    // kpsim's receive buffer starts at tcp_rmem[1] (64 KiB of window) and autotunes up to
    // tcp_rmem[2] = 6 MiB (3 MiB of window). ns-3 has no autotuning: it gets the largest window
    // kpsim's may grow to. Its send buffer is autotuned and never the limit in kpsim: ns-3 gets one
    // far larger than any file here.
    uint32_t receiveBufferBytes = 3u << 20; // ns-3: RcvBufSize 131072
    uint32_t sendBufferBytes = 64u << 20;   // ns-3: SndBufSize 131072
};

/**
 * Sets ns-3's global TCP defaults (Config::SetDefault) to these settings, with TCP NewReno and
 * classic (RFC 5681/6582) recovery, as kpsim's NewReno class implements. ns-3 3.37's defaults
 * are TcpCubic and TcpPrrRecovery. Must run before any TCP socket is created.
 */
void ApplyTcpSettings(const TcpSettings& settings);

} // namespace kpsimbench

#endif
