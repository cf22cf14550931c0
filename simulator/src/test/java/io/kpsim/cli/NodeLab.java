package io.kpsim.cli;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import io.kpsim.packet.Ip4;
import io.kpsim.packet.Packet;
import io.kpsim.packet.TcpFlags;
import io.kpsim.packet.TcpOptions;
import io.kpsim.packet.TcpSegment;
import io.kpsim.pcap.DecodedPacket;
import io.kpsim.pcap.Ipv4Encoder;
import io.kpsim.pcap.LinkLayer;
import io.kpsim.pcap.LinkType;
import io.kpsim.pcap.LiveInterface;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real Kubernetes-shaped node on this machine's kernel, built from network namespaces that only
 * this lab creates (names carry the JVM's pid and a tag) and deletes in {@link #close()}.
 *
 * <p>Shape: a bridge namespace joins a client pod (10.244.1.2), two server pods (10.244.2.3 and
 * 10.244.3.3, HTTP on 8080) and the node, whose one interface {@code eth0} holds each pod subnet's
 * gateway (10.244.1.1, .2.1, .3.1). Every pod routes through the node, so each packet enters the
 * node on {@code eth0} and leaves it on {@code eth0} after the node's netfilter: a capture of
 * {@code eth0} is a one-interface Ethernet capture, {@code tcpdump -i any} a cooked one. The node
 * forwards ({@code ip_forward=1}, ICMP redirects off) and runs the rules given to
 * {@code iptables-restore}; ClusterIP 10.96.0.10:80 is served by the server pods.
 *
 * <p>Real TCP: the servers and the client are Java sockets created on threads that joined the
 * pods' namespaces with {@code setns(2)} (a socket belongs to the namespace of the thread that
 * creates it). A server can stop half-way through a response and send, from its pod's interface,
 * a forged segment of its connection whose sequence number is far past the window: the blog's
 * out-of-window reply.
 */
final class NodeLab implements AutoCloseable {

    static final String VIP = "10.96.0.10";
    static final String CLIENT = "10.244.1.2";
    static final List<String> SERVERS = List.of("10.244.2.3", "10.244.3.3");
    static final int SERVER_PORT = 8080;
    private static final List<String> GATEWAYS = List.of("10.244.1.1/24", "10.244.2.1/24", "10.244.3.1/24");

    /** The two libc calls that move a thread into a namespace, through JNA (a pcap4j dependency). */
    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int setns(int fd, int nstype) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;

    final String node;
    final String client;
    final String bridge;
    final List<String> servers = new ArrayList<>();
    private final List<String> created = new ArrayList<>();
    private final List<ServerSocket> listening = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Capture> captures = new ArrayList<>();
    /** Responses a server could not finish because its connection was reset. */
    final AtomicInteger serverResets = new AtomicInteger();
    /** Set by a test to make server 0 forge one out-of-window segment half-way through its next response. */
    final AtomicReference<Boolean> forgeNext = new AtomicReference<>(false);
    /** What the forging server did, for the test's messages. */
    final AtomicReference<String> forged = new AtomicReference<>();

    /** What this machine lacks for the lab, or {@code null} when it can run. */
    static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "not running as root: network namespaces, iptables and tcpdump need root";
        }
        for (String tool : List.of("ip", "iptables-restore", "iptables-save", "tcpdump", "sysctl")) {
            if (run(List.of("sh", "-c", "command -v " + tool)).exit != 0) {
                return "'" + tool + "' is not on PATH (Debian: iproute2, iptables, tcpdump, procps)";
            }
        }
        String probe = "kpl-probe-" + ProcessHandle.current().pid();
        Result add = run(List.of("ip", "netns", "add", probe));
        if (add.exit != 0) {
            return "cannot create a network namespace ('ip netns add'): " + add.text.strip();
        }
        Result nat = run(List.of("ip", "netns", "exec", probe, "iptables", "-t", "nat", "-S"));
        run(List.of("ip", "netns", "delete", probe));
        if (nat.exit != 0) {
            return "iptables cannot work in a new network namespace: " + nat.text.strip();
        }
        try {
            LiveInterface.libraryVersion();
        } catch (IllegalStateException e) {
            return e.getMessage() + " (Debian: libpcap0.8)";
        }
        return null;
    }

    /**
     * Builds the namespaces and loads {@code rules} on the node.
     *
     * @param tag a short name unique within the test run
     * @param sysctls node sysctls as NAME=VALUE
     */
    NodeLab(String tag, String rules, List<String> sysctls) {
        String base = "kpl" + ProcessHandle.current().pid() + tag;
        node = base + "-node";
        client = base + "-c";
        bridge = base + "-br";
        try {
            for (String ns : List.of(bridge, node, client)) {
                netns(ns);
            }
            for (int i = 0; i < SERVERS.size(); i++) {
                servers.add(base + "-s" + i);
                netns(servers.get(i));
            }
            sh(bridge, "ip link add br0 type bridge && ip link set br0 up");
            // no ICMP redirects although packets leave by the interface they came in on
            sh(
                    node,
                    "sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0"
                            + " net.ipv4.conf.default.send_redirects=0");
            port("pn", node);
            for (String gw : GATEWAYS) {
                sh(node, "ip addr add " + gw + " dev eth0");
            }
            pod("pc", client, CLIENT, "10.244.1.1");
            for (int i = 0; i < SERVERS.size(); i++) {
                pod("p" + i, servers.get(i), SERVERS.get(i), "10.244." + (i + 2) + ".1");
            }
            for (String s : sysctls) {
                sh(node, "sysctl -qw " + s);
            }
            Path file = Files.createTempFile("kpl-rules", ".txt");
            try {
                Files.writeString(file, rules);
                sh(node, "iptables-restore < " + file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private void netns(String name) {
        must(List.of("ip", "netns", "add", name));
        created.add(name);
        sh(name, "ip link set lo up");
    }

    /** A veth from the bridge to {@code ns}'s eth0. */
    private void port(String bridgePort, String ns) {
        sh(
                bridge,
                "ip link add " + bridgePort + " type veth peer name eth0 netns " + ns + " && ip link set " + bridgePort
                        + " master br0 up");
        sh(ns, "ip link set eth0 up");
    }

    private void pod(String bridgePort, String ns, String ip, String gateway) {
        port(bridgePort, ns);
        sh(ns, "ip addr add " + ip + "/24 dev eth0 && ip route add default via " + gateway);
    }

    /** The node's rules as {@code iptables-save} prints them there. */
    String iptablesSave() {
        return must(List.of("ip", "netns", "exec", node, "iptables-save"));
    }

    /** The node's INVALID count, summed over CPUs from {@code /proc/net/stat/nf_conntrack} ({@code invalid}). */
    long kernelInvalid() {
        String[] lines = must(List.of("ip", "netns", "exec", node, "cat", "/proc/net/stat/nf_conntrack"))
                .split("\n");
        List<String> names = List.of(lines[0].trim().split("\\s+"));
        int column = names.indexOf("invalid");
        long sum = 0;
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                sum += Long.parseLong(lines[i].trim().split("\\s+")[column], 16);
            }
        }
        return sum;
    }

    /** A running tcpdump and the file it prints its messages to. */
    private record Capture(Process process, Path file, Path messages) {}

    /**
     * Starts {@code tcpdump} on the node and returns once it is listening; {@link #stopCaptures}
     * ends it. Snap length 256 keeps every header; a 64 MiB buffer keeps the kernel from dropping.
     */
    void capture(String device, Path file) {
        ProcessBuilder pb = new ProcessBuilder(
                "ip",
                "netns",
                "exec",
                node,
                "tcpdump",
                "-i",
                device,
                "-n",
                "-U",
                "-Z",
                "root",
                "-s",
                "256",
                "-B",
                "65536",
                "-w",
                file.toString());
        Path messages = file.resolveSibling(file.getFileName() + ".tcpdump.txt");
        pb.redirectErrorStream(true).redirectOutput(messages.toFile());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start tcpdump: " + e.getMessage(), e);
        }
        captures.add(new Capture(p, file, messages));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!read(messages).contains("listening on")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("tcpdump -i " + device + " did not start listening: " + read(messages));
            }
            pause(10);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Stops every capture (SIGTERM: tcpdump flushes and closes its file, then prints its counts)
     * and returns what each printed.
     */
    List<String> stopCaptures() {
        List<String> all = new ArrayList<>();
        // tcpdump exits on SIGTERM without reading what is still in its ring: first let it catch up
        // (on a loaded machine it can lag by seconds), until no file has grown for a while.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long quietSince = System.nanoTime();
        long[] sizes = new long[captures.size()];
        while (System.nanoTime() < deadline && System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(2500)) {
            pause(250);
            for (int i = 0; i < sizes.length; i++) {
                long size = captures.get(i).file().toFile().length();
                if (size != sizes[i]) {
                    sizes[i] = size;
                    quietSince = System.nanoTime();
                }
            }
        }
        for (Capture c : captures) {
            c.process().destroy();
        }
        for (Capture c : captures) {
            try {
                if (!c.process().waitFor(10, TimeUnit.SECONDS)) {
                    c.process().destroyForcibly();
                    c.process().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                c.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
            all.add(read(c.messages()));
        }
        captures.clear();
        return all;
    }

    /** Starts an HTTP/1.0 file server on each server pod: every response is {@code size} bytes. */
    void startServers(int size) {
        for (int i = 0; i < SERVERS.size(); i++) {
            int server = i;
            String ns = servers.get(i);
            CountDown ready = new CountDown();
            Thread t = new Thread(() -> serve(ns, server, size, ready), "kpl-server-" + ns);
            t.setDaemon(true);
            threads.add(t);
            t.start();
            ready.await();
        }
    }

    private void serve(String ns, int server, int size, CountDown ready) {
        try {
            enter(ns);
            ServerSocket socket = new ServerSocket();
            socket.bind(new InetSocketAddress(SERVERS.get(server), SERVER_PORT));
            synchronized (listening) {
                listening.add(socket);
            }
            ready.done(null);
            while (true) {
                try (Socket c = socket.accept()) {
                    respond(c, size, server == 0 && forgeNext.getAndSet(false));
                } catch (IOException e) {
                    if (socket.isClosed()) {
                        return;
                    }
                    serverResets.incrementAndGet();
                }
            }
        } catch (IOException | RuntimeException e) {
            ready.done(e);
        }
    }

    private void respond(Socket c, int size, boolean forge) throws IOException {
        c.setSoTimeout(5000);
        // sees what arrives at the pod from this connection, to forge one of its segments
        try (LiveInterface eth0 = forge ? LiveInterface.openEthernet("eth0", "tcp port " + c.getPort()) : null) {
            respond(c, size, eth0);
        }
    }

    private void respond(Socket c, int size, LiveInterface eth0) throws IOException {
        InputStream in = c.getInputStream();
        StringBuilder request = new StringBuilder();
        while (!request.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            request.append((char) b);
        }
        OutputStream out = c.getOutputStream();
        out.write(header(size));
        byte[] chunk = new byte[8192];
        boolean forge = eth0 != null;
        for (int sent = 0; sent < size; sent += chunk.length) {
            out.write(chunk, 0, Math.min(chunk.length, size - sent));
            out.flush();
            pause(2);
            if (forge && sent >= size / 2) {
                forge = false;
                pause(50); // let the client's ACKs of what was sent reach the pod
                forgeOutOfWindow(eth0, c.getLocalPort(), c.getPort());
                pause(200);
            }
        }
    }

    private static byte[] header(int size) {
        return ("HTTP/1.0 200 OK\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The bytes of a whole response of {@code size} bytes of content, as the client counts them. */
    static long responseBytes(int size) {
        return header(size).length + (long) size;
    }

    /**
     * Sends from the pod a segment of the connection with a sequence number 2^30 past the client's
     * last acknowledgment (past any window: {@code tcp_in_window()} "SEQ is over the upper bound")
     * and the client's next sequence number as its ACK, so the RST the client answers with is one
     * the server accepts (RFC 9293 3.10.7.1: a RST for a segment with ACK carries SEQ = SEG.ACK).
     */
    private void forgeOutOfWindow(LiveInterface eth0, int serverPort, int clientPort) {
        int clientNext = 0;
        int clientAck = 0;
        long nodeMac = -1;
        long podMac = -1;
        StringBuilder seen = new StringBuilder("client port " + clientPort + ", seen: ");
        byte[] frame;
        // the pod's capture can lag on a loaded machine: read until the connection's frames have
        // shown up and then nothing more came for a while
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long quiet = 0;
        while (System.nanoTime() < deadline && (nodeMac < 0 || quiet < 20)) {
            frame = eth0.poll();
            if (frame == null) {
                quiet++;
                pause(10);
                continue;
            }
            quiet = 0;
            byte[] f = frame.clone();
            DecodedPacket d = LinkLayer.decode(LinkType.ETHERNET, f, f.length, false);
            seen.append(d.isSkipped() ? d.skipped() : d.packet().srcPort()).append(' ');
            if (d.isSkipped() || d.packet().tcp() == null || d.packet().srcPort() != clientPort) {
                continue;
            }
            TcpSegment s = d.packet().tcp();
            clientNext = s.seq() + s.payloadLength() + ((s.flags() & TcpFlags.SYN) != 0 ? 1 : 0);
            clientAck = s.ack();
            nodeMac = LinkLayer.sourceMac(LinkType.ETHERNET, f);
            podMac = LinkLayer.destinationMac(LinkType.ETHERNET, f);
        }
        if (nodeMac < 0) {
            forged.set("nothing of the connection arrived at the pod to forge from (" + seen + ")");
            return;
        }
        int seq = clientAck + 0x40000000;
        Packet p = Packet.tcp(
                Ip4.parse(SERVERS.get(0)),
                Ip4.parse(CLIENT),
                new TcpSegment(
                        serverPort,
                        clientPort,
                        seq,
                        clientNext,
                        TcpFlags.ACK | TcpFlags.PSH,
                        502,
                        0,
                        TcpOptions.NONE,
                        100));
        byte[] ip = Ipv4Encoder.encode(p);
        ByteBuffer b = ByteBuffer.allocate(14 + ip.length);
        b.putShort((short) (nodeMac >>> 32)).putInt((int) nodeMac);
        b.putShort((short) (podMac >>> 32)).putInt((int) podMac);
        b.putShort((short) LinkLayer.ETHERTYPE_IPV4).put(ip);
        eth0.inject(b.array());
        forged.set("seq " + Integer.toUnsignedString(seq) + " ack " + Integer.toUnsignedString(clientNext));
    }

    /**
     * Downloads once from the service on a thread in the client pod.
     *
     * @return the bytes received, or the failure as text (a reset or a timeout)
     */
    String download() {
        return inNamespace(client, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(VIP, 80), 3000);
                s.setSoTimeout(6000);
                s.getOutputStream().write("GET /file HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                byte[] buf = new byte[65536];
                long total = 0;
                int n;
                while ((n = in.read(buf)) >= 0) {
                    total += n;
                }
                return "received " + total;
            } catch (IOException e) {
                return "failed: " + e.getMessage();
            }
        });
    }

    @Override
    public void close() {
        try {
            stopCaptures();
            stopServers();
        } finally {
            for (int i = created.size() - 1; i >= 0; i--) {
                run(List.of("ip", "netns", "delete", created.get(i)));
            }
            created.clear();
        }
    }

    private void stopServers() {
        synchronized (listening) {
            for (ServerSocket s : listening) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing is best effort; the namespace goes next
                }
            }
        }
        for (Thread t : threads) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // --- plumbing

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Moves the calling thread into namespace {@code ns} ({@code setns(2)}, as {@code ip netns exec} does). */
    private static void enter(String ns) {
        LibC libc = Native.load("c", LibC.class);
        int fd = libc.open("/run/netns/" + ns, O_RDONLY_CLOEXEC);
        try {
            libc.setns(fd, CLONE_NEWNET);
        } finally {
            libc.close(fd);
        }
    }

    /** Runs {@code task} on a fresh thread inside {@code ns}; the thread ends with the task. */
    private static <T> T inNamespace(String ns, Callable<T> task) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                enter(ns);
                result.set(task.call());
            } catch (Exception e) {
                failure.set(e);
            }
        });
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (failure.get() != null) {
            throw new IllegalStateException("in " + ns + ": " + failure.get(), failure.get());
        }
        return result.get();
    }

    private record Result(int exit, String text) {}

    private static Result run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(124, String.join(" ", command) + ": timed out");
            }
            return new Result(p.exitValue(), text);
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        }
    }

    private static String must(List<String> command) {
        Result r = run(command);
        if (r.exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exit + "): " + r.text);
        }
        return r.text;
    }

    private static void sh(String ns, String script) {
        must(List.of("ip", "netns", "exec", ns, "sh", "-c", script));
    }

    /** Waits for a server thread to be listening, or rethrows why it could not. */
    private static final class CountDown {
        private final java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
        private volatile Exception failure;

        void done(Exception e) {
            failure = e;
            latch.countDown();
        }

        void await() {
            try {
                if (!latch.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a server did not start listening in 10 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            if (failure != null) {
                throw new IllegalStateException("server: " + failure, failure);
            }
        }
    }
}
