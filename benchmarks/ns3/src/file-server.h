// kpsim's "fileServer" workload (io.kpsim.cluster.FileServer) as an ns-3 application.
#ifndef KPSIM_BENCH_FILE_SERVER_H
#define KPSIM_BENCH_FILE_SERVER_H

#include "send-counter.h"

#include "ns3/applications-module.h"
#include "ns3/internet-module.h"

#include <cstdint>

namespace kpsimbench
{

/**
 * nginx serving one file with keep-alive, as kpsim's fileServer: for every request of
 * {@code requestBytes} it sends {@code fileBytes}, and it closes a connection only after the
 * client has closed its side.
 */
class FileServer : public ns3::Application
{
  public:
    FileServer(uint16_t port, uint64_t fileBytes, uint32_t requestBytes, SendCounter* counter);

  private:
    class Session;

    void StartApplication() override;
    void StopApplication() override;
    void Accepted(ns3::Ptr<ns3::Socket> socket, const ns3::Address& from);

    uint16_t m_port;
    uint64_t m_fileBytes;
    uint32_t m_requestBytes;
    SendCounter* m_counter;
    ns3::Ptr<ns3::Socket> m_listener;
};

} // namespace kpsimbench

#endif
