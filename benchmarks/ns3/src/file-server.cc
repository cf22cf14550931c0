// kpsim's "fileServer" workload; see file-server.h.
#include "file-server.h"

#include <algorithm>

namespace kpsimbench
{

using namespace ns3;

/** One accepted connection: requests in, files out. */
class FileServer::Session : public SimpleRefCount<Session>
{
  public:
    Session(const FileServer* server, Ptr<Socket> socket)
        : m_server(server),
          m_socket(socket)
    {
    }

    void Start(Ptr<Session> self)
    {
        m_socket->SetRecvCallback(MakeCallback(&Session::Readable, self));
        m_socket->SetSendCallback(MakeCallback(&Session::Writable, self));
        m_socket->SetCloseCallbacks(MakeCallback(&Session::PeerClosed, self),
                                    MakeCallback(&Session::Failed, self));
    }

  private:
    void Readable(Ptr<Socket> socket)
    {
        while (Ptr<Packet> data = socket->Recv())
        {
            if (data->GetSize() == 0)
            {
                break;
            }
            m_requestBytes += data->GetSize();
        }
        while (m_requestBytes >= m_server->m_requestBytes)
        {
            m_requestBytes -= m_server->m_requestBytes;
            m_unsent += m_server->m_fileBytes;
        }
        Writable(socket, socket->GetTxAvailable());
    }

    /** Queues as much of the answer as the send buffer takes (the rest when it has room again). */
    void Writable(Ptr<Socket> socket, uint32_t room)
    {
        while (m_unsent > 0 && room > 0)
        {
            uint32_t chunk = static_cast<uint32_t>(std::min<uint64_t>(m_unsent, room));
            int sent = socket->Send(Create<Packet>(chunk));
            if (sent <= 0)
            {
                return;
            }
            m_unsent -= sent;
            room = socket->GetTxAvailable();
        }
    }

    /**
     * The client closed its side: close ours, as kpsim's server does, once ns-3 has acknowledged
     * the client's FIN. So the server sends a pure ACK, then its FIN, as kpsim's stack does (the
     * application's close comes after the stack's answer), not one FIN|ACK.
     */
    void PeerClosed(Ptr<Socket>)
    {
        Simulator::ScheduleNow(&Session::CloseAndRelease, Ptr<Session>(this));
    }

    void Failed(Ptr<Socket>)
    {
        Simulator::ScheduleNow(&Session::Release, Ptr<Session>(this));
    }

    void CloseAndRelease()
    {
        m_socket->Close();
        Release();
    }

    /** Drops the socket's references to this session, and so the session. */
    void Release()
    {
        m_socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        m_socket->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
        m_socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                                    MakeNullCallback<void, Ptr<Socket>>());
    }

    const FileServer* m_server;
    Ptr<Socket> m_socket;
    uint64_t m_requestBytes = 0;
    uint64_t m_unsent = 0;
};

FileServer::FileServer(uint16_t port, uint64_t fileBytes, uint32_t requestBytes, SendCounter* counter)
    : m_port(port),
      m_fileBytes(fileBytes),
      m_requestBytes(requestBytes),
      m_counter(counter)
{
}

void
FileServer::StartApplication()
{
    m_listener = Socket::CreateSocket(GetNode(), TcpSocketFactory::GetTypeId());
    m_listener->Bind(InetSocketAddress(Ipv4Address::GetAny(), m_port));
    m_listener->Listen();
    m_listener->SetAcceptCallback(MakeNullCallback<bool, Ptr<Socket>, const Address&>(),
                                  MakeCallback(&FileServer::Accepted, this));
}

void
FileServer::StopApplication()
{
    if (m_listener)
    {
        m_listener->Close();
    }
}

void
FileServer::Accepted(Ptr<Socket> socket, const Address&)
{
    m_counter->Watch(socket);
    Ptr<Session> session = Create<Session>(this, socket);
    session->Start(session);
}

} // namespace kpsimbench
