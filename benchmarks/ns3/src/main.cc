// kpsim-ns3-bench: kpsim's download workloads on the blog topology, simulated by ns-3 3.37, so
// that benchmarks/compare-ns3.sh can time both simulators on the same work.
//
//   kpsim-ns3-bench --downloads=10 --fileSize=2097152 --duration=1s
//   kpsim-ns3-bench --downloads=10000 --parallel=10000 --fileSize=1024 --duration=10s
//
// It prints one JSON object: what it simulated (connections, downloads, the packets the pods sent,
// retransmissions, events) and the wall-clock seconds of each phase. See src/docs/benchmarks.md,
// "kpsim against ns-3", for what is the same as in kpsim and what is not.
#include "blog-topology.h"
#include "download-client.h"
#include "file-server.h"
#include "send-counter.h"
#include "tcp-settings.h"

#include "ns3/core-module.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

using namespace ns3;
using namespace kpsimbench;

namespace
{

using Clock = std::chrono::steady_clock;

double
SecondsBetween(Clock::time_point from, Clock::time_point to)
{
    return std::chrono::duration<double>(to - from).count();
}

/** Exits with status 2 and a one-line message naming the option, as kpsim does for bad input. */
void
Require(bool ok, const std::string& message)
{
    if (!ok)
    {
        std::cerr << "kpsim-ns3-bench: " << message << std::endl;
        std::exit(2);
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    Clock::time_point started = Clock::now();

    std::string name = "custom";
    uint32_t downloads = 10;
    uint32_t parallel = 1;
    uint64_t fileBytes = 2u << 20;
    Time duration = Seconds(1);
    std::string pcapPrefix;

    CommandLine cmd("kpsim-ns3-bench");
    cmd.Usage("kpsim's download workloads on the blog topology (client - node-a - node-b - server), "
              "in ns-3. Prints one JSON object.");
    cmd.AddValue("name", "a label for the output", name);
    cmd.AddValue("downloads", "downloads in total (kpsim: download.count)", downloads);
    cmd.AddValue("parallel", "concurrent download loops (kpsim: download.parallel)", parallel);
    cmd.AddValue("fileSize", "bytes of each file (kpsim: fileServer.fileSize)", fileBytes);
    cmd.AddValue("duration", "simulated time, e.g. 1s or 250ms (kpsim: spec.duration)", duration);
    cmd.AddValue("pcap", "write one pcap per device, named PREFIX-NODE-DEVICE.pcap", pcapPrefix);
    cmd.Parse(argc, argv);
    Require(name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
                    std::string::npos,
            "--name may hold only letters, digits, '.', '_' and '-'");
    Require(downloads >= 1 && downloads <= 1000000, "--downloads must be in 1..1000000");
    Require(parallel >= 1 && parallel <= 10000 && parallel <= downloads,
            "--parallel must be in 1..10000 and at most --downloads");
    Require(fileBytes >= 1, "--fileSize must be at least 1 byte");
    Require(duration.IsStrictlyPositive(), "--duration must be more than 0");
    if (!pcapPrefix.empty())
    {
        std::filesystem::path directory = std::filesystem::path(pcapPrefix).parent_path();
        Require(directory.empty() || std::filesystem::is_directory(directory),
                "--pcap=" + pcapPrefix + ": no directory " + directory.string());
    }

    RngSeedManager::SetSeed(1); // nothing here draws at random; set for reproducibility anyway
    ApplyTcpSettings(TcpSettings());
    BlogTopology topology{TopologySettings()};
    if (!pcapPrefix.empty())
    {
        topology.EnablePcap(pcapPrefix);
    }

    SendCounter counter;
    counter.CountPod(topology.Client());
    counter.CountPod(topology.Server());

    const uint16_t serverPort = 8080;
    DownloadSettings settings;
    settings.server = InetSocketAddress(topology.ServerAddress(), serverPort);
    settings.fileBytes = fileBytes;
    settings.downloads = downloads;
    settings.parallel = parallel;

    Ptr<FileServer> server =
        CreateObject<FileServer>(serverPort, fileBytes, settings.requestBytes, &counter);
    topology.Server()->AddApplication(server);
    Ptr<DownloadClient> client = CreateObject<DownloadClient>(settings, &counter);
    topology.Client()->AddApplication(client);
    server->SetStartTime(Seconds(0));
    client->SetStartTime(Seconds(0));

    Clock::time_point built = Clock::now();
    Simulator::Stop(duration);
    Simulator::Run();
    Clock::time_point ran = Clock::now();
    uint64_t events = Simulator::GetEventCount();
    Simulator::Destroy();
    Clock::time_point destroyed = Clock::now();

    std::printf("{\"tool\":\"ns-3\",\"version\":\"3.37\",\"name\":\"%s\",\"downloads\":%u,"
                "\"parallel\":%u,\"file_bytes\":%llu,\"simulated_seconds\":%.9g,"
                "\"last_download_ended_seconds\":%.9g,\"connections\":%u,\"completed\":%u,"
                "\"failed\":%u,\"packets\":%llu,"
                "\"retransmissions\":%llu,\"events\":%llu,\"setup_seconds\":%.6f,"
                "\"run_seconds\":%.6f,\"destroy_seconds\":%.6f,\"wall_seconds\":%.6f}\n",
                name.c_str(),
                downloads,
                parallel,
                static_cast<unsigned long long>(fileBytes),
                duration.GetSeconds(),
                client->LastEnded().GetSeconds(),
                client->Established(),
                client->Completed(),
                client->Failed(),
                static_cast<unsigned long long>(counter.Packets()),
                static_cast<unsigned long long>(counter.Retransmissions()),
                static_cast<unsigned long long>(events),
                SecondsBetween(started, built),
                SecondsBetween(built, ran),
                SecondsBetween(ran, destroyed),
                SecondsBetween(started, destroyed));
    return client->Completed() == downloads ? 0 : 1;
}
