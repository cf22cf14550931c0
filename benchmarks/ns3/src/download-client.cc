// kpsim's "download" workload; see download-client.h.
#include "download-client.h"

namespace kpsimbench
{

using namespace ns3;

/** One download on one connection; it owns the socket's callbacks until the connection ends. */
class DownloadClient::Download : public SimpleRefCount<Download>
{
  public:
    Download(DownloadClient* client, Ptr<Socket> socket)
        : m_client(client),
          m_socket(socket)
    {
    }

    void Start(Ptr<Download> self)
    {
        m_socket->SetConnectCallback(MakeCallback(&Download::Connected, self),
                                     MakeCallback(&Download::Failed, self));
        m_socket->SetRecvCallback(MakeCallback(&Download::Readable, self));
        m_socket->SetCloseCallbacks(MakeCallback(&Download::Closed, self),
                                    MakeCallback(&Download::Failed, self));
        m_socket->Bind();
        m_socket->Connect(m_client->m_settings.server);
    }

  private:
    void Connected(Ptr<Socket> socket)
    {
        m_client->m_established++;
        socket->Send(Create<Packet>(m_client->m_settings.requestBytes));
    }

    void Readable(Ptr<Socket> socket)
    {
        while (Ptr<Packet> data = socket->Recv())
        {
            if (data->GetSize() == 0)
            {
                break;
            }
            m_received += data->GetSize();
        }
        if (!m_done && m_received >= m_client->m_settings.fileBytes)
        {
            End(true);
            socket->Close();
        }
    }

    /** The server closed its side (or the handshake of our close completed). */
    void Closed(Ptr<Socket> socket)
    {
        if (!m_done)
        {
            End(false);
            socket->Close();
        }
        ReleaseLater();
    }

    void Failed(Ptr<Socket>)
    {
        if (!m_done)
        {
            End(false);
        }
        ReleaseLater();
    }

    void End(bool complete)
    {
        m_done = true;
        m_client->Finished(complete);
    }

    /**
     * Drops the socket's references to this download, and so this download, once the socket's
     * callback that got here has returned: it runs inside one of the callbacks it clears.
     */
    void ReleaseLater()
    {
        Simulator::ScheduleNow(&Download::Release, Ptr<Download>(this));
    }

    void Release()
    {
        m_socket->SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                                     MakeNullCallback<void, Ptr<Socket>>());
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                                    MakeNullCallback<void, Ptr<Socket>>());
    }

    DownloadClient* m_client;
    Ptr<Socket> m_socket;
    uint64_t m_received = 0;
    bool m_done = false;
};

DownloadClient::DownloadClient(const DownloadSettings& settings, SendCounter* counter)
    : m_settings(settings),
      m_counter(counter)
{
}

void
DownloadClient::StartApplication()
{
    for (uint32_t i = 0; i < m_settings.parallel; i++)
    {
        Simulator::ScheduleNow(&DownloadClient::Next, this);
    }
}

void
DownloadClient::StopApplication()
{
}

void
DownloadClient::Next()
{
    if (m_started >= m_settings.downloads)
    {
        return;
    }
    m_started++;
    Ptr<Socket> socket = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_counter->Watch(socket);
    Ptr<Download> download = Create<Download>(this, socket);
    download->Start(download);
}

void
DownloadClient::Finished(bool complete)
{
    m_lastEnded = Simulator::Now();
    if (complete)
    {
        m_completed++;
    }
    else
    {
        m_failed++;
    }
    Simulator::ScheduleNow(&DownloadClient::Next, this);
}

} // namespace kpsimbench
