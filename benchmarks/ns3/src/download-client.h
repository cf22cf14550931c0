// kpsim's "download" workload (io.kpsim.cluster.DownloadClient) as an ns-3 application.
#ifndef KPSIM_BENCH_DOWNLOAD_CLIENT_H
#define KPSIM_BENCH_DOWNLOAD_CLIENT_H

#include "send-counter.h"

#include "ns3/applications-module.h"
#include "ns3/internet-module.h"

#include <cstdint>

namespace kpsimbench
{

/** What a download client does, as kpsim's DownloadClientSpec says it. */
struct DownloadSettings
{
    ns3::InetSocketAddress server{ns3::Ipv4Address::GetAny(), 0};
    uint64_t fileBytes = 0;
    uint32_t downloads = 1;
    uint32_t parallel = 1;
    // DownloadClientSpec.REQUEST_BYTES: an HTTP GET line and a few headers.
    uint32_t requestBytes = 100;
};

/**
 * {@code parallel} curl loops, each: connect, send the request, read the whole file, close, start
 * the next download at once, until {@code downloads} have been started. A download whose
 * connection ends early (reset, timeout) counts as failed and its loop goes on, as curl's does.
 */
class DownloadClient : public ns3::Application
{
  public:
    DownloadClient(const DownloadSettings& settings, SendCounter* counter);

    uint32_t Completed() const { return m_completed; }
    uint32_t Failed() const { return m_failed; }
    uint32_t Established() const { return m_established; }
    /** When the last download ended (completed or failed), in simulated time. */
    ns3::Time LastEnded() const { return m_lastEnded; }

  private:
    class Download;

    void StartApplication() override;
    void StopApplication() override;
    void Next();
    void Finished(bool complete);

    DownloadSettings m_settings;
    SendCounter* m_counter;
    uint32_t m_started = 0;
    uint32_t m_established = 0;
    uint32_t m_completed = 0;
    uint32_t m_failed = 0;
    ns3::Time m_lastEnded;
};

} // namespace kpsimbench

#endif
