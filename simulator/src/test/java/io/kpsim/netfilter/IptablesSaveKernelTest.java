package io.kpsim.netfilter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kpsim's {@code iptables-save} text against the real one: each ruleset is loaded with
 * {@code iptables-restore} into a network namespace of its own (named with the pid, deleted
 * afterwards), printed back with {@code iptables-save}, and compared byte for byte, comment lines
 * (with their time stamps) aside, with what kpsim prints for the same input. Skips, naming what is
 * missing, without root, {@code ip netns} or iptables.
 */
class IptablesSaveKernelTest {

    private static int counter;

    static List<String> rulesets() {
        String filterHead = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n";
        String natHead = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + ":POSTROUTING ACCEPT [0:0]\n";
        return List.of(
                natHead
                        + "-A PREROUTING -m sctp -p sctp -d 172.30.0.42 --dport 53 -j DNAT --to-destination 10.180.0.1:53\n"
                        + "-A PREROUTING -p sctp -m sctp ! --sport 1000:2000 --dport 0:65535 -j RETURN\n"
                        + "-A PREROUTING -p 132 --dport 7 -j RETURN\n"
                        + "-A PREROUTING ! -p sctp -j RETURN\n"
                        + "-A PREROUTING -p sctp -m sctp -j RETURN\n"
                        + "COMMIT\n",
                natHead
                        + ":KUBE-EXT - [0:0]\n"
                        + "-A PREROUTING -m addrtype --dst-type LOCAL --src-type UNICAST --limit-iface-in -j KUBE-EXT\n"
                        + "-A PREROUTING -m addrtype --dst-type local,BROADCAST ! --src-type LOCAL -j KUBE-EXT\n"
                        + "-A OUTPUT -m addrtype --src-type LOCAL --dst-type UNICAST --limit-iface-out -j RETURN\n"
                        + "-A OUTPUT -m addrtype ! --src-type MULTICAST,UNSPEC,XRESOLVE -j RETURN\n"
                        + "-A KUBE-EXT -m comment --comment \"masquerade LOCAL traffic\" -m addrtype --src-type LOCAL"
                        + " -j MARK --set-xmark 0x4000/0x4000\n"
                        + "-A KUBE-EXT -m comment --comment \"no target\"\n"
                        + "-A KUBE-EXT -p tcp -m tcp --dport 80\n"
                        + "-A KUBE-EXT\n"
                        + "COMMIT\n",
                filterHead
                        + ":KUBE-SERVICES - [0:0]\n"
                        + "-A FORWARD -m conntrack --ctstate NEW -m comment --comment \"kubernetes service portals\""
                        + " -j KUBE-SERVICES\n"
                        + "-A KUBE-SERVICES -d 172.30.1.5/32 -p tcp -m comment"
                        + " --comment \"ns/svc:p has no endpoints\" -m tcp --dport 80 -j REJECT"
                        + " --reject-with icmp-port-unreachable\n"
                        + "COMMIT\n",
                filterHead
                        + "-A INPUT -p tcp -m tcp --dport 22 -j REJECT\n"
                        + "-A INPUT -p tcp -j REJECT --reject-with tcp-rst\n"
                        + "-A INPUT -p udp -j REJECT --reject-with net-unreach\n"
                        + "-A INPUT -j REJECT --reject-with icmp-host-unreachable\n"
                        + "-A INPUT -j REJECT --reject-with proto-unreach\n"
                        + "-A FORWARD -j REJECT --reject-with icmp-net-prohibited\n"
                        + "-A FORWARD -j REJECT --reject-with host-prohib\n"
                        + "-A OUTPUT -j REJECT --reject-with icmp-admin-prohibited\n"
                        + "COMMIT\n",
                filterHead
                        + "-A INPUT -p tcp -m multiport --dports 80,443:445 -j ACCEPT\n"
                        + "-A INPUT -p udp -m multiport ! --sports 53,123 -j DROP\n"
                        + "-A INPUT -p tcp -m multiport --source-ports 1:2,3:4,5:6,7:8,9:10,11:12,13:14,15 -j DROP\n"
                        + "-A FORWARD -p tcp -m multiport ! --ports 7000:7010 -j REJECT --reject-with tcp-reset\n"
                        + "COMMIT\n",
                natHead
                        + "-A POSTROUTING -s 10.0.0.0/24 -o eth1 -p tcp -j SNAT --to-source 10.1.0.99:20000-20010"
                        + " --random-fully\n"
                        + "-A POSTROUTING -s 10.0.0.0/24 -o eth1 -j SNAT --to-source 10.1.0.98\n"
                        + "-A POSTROUTING -p udp -j SNAT --to-source 10.1.0.97:53\n"
                        + "-A INPUT -d 10.1.0.1/32 -j SNAT --to-source 10.1.0.96\n"
                        + "-A PREROUTING -d 10.244.1.5/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 15001\n"
                        + "-A PREROUTING -d 10.244.1.6/32 -p udp -j REDIRECT\n"
                        + "-A OUTPUT -d 10.96.0.10/32 -p tcp -j REDIRECT --to-ports 15001-15002\n"
                        + "COMMIT\n",
                filterHead
                        + "-A INPUT -p icmp -m icmp --icmp-type echo-request -j ACCEPT\n"
                        + "-A INPUT -p icmp --icmp-type 3/4 -j ACCEPT\n"
                        + "-A INPUT -p icmp -m icmp ! --icmp-type any -j DROP\n"
                        + "-A INPUT -p icmp --icmp-type port-unreachable -j DROP\n"
                        + "-A INPUT -p icmp --icmp-type destination-unreachable -j DROP\n"
                        + "-A INPUT -p icmp --icmp-type 8/0 -j DROP\n"
                        + "-A INPUT -p icmp -m icmp --icmp-type ttl-zero-during-reassembly -j DROP\n"
                        + "COMMIT\n",
                filterHead
                        + "-A INPUT -p tcp --syn -j ACCEPT\n"
                        + "-A INPUT -p tcp -m tcp ! --syn --sport 1:1023 --dport 22 -j ACCEPT\n"
                        + "-A INPUT -p tcp --tcp-flags ALL NONE -j DROP\n"
                        + "-A INPUT -p tcp -m tcp --tcp-flags ACK,FIN,SYN FIN -j DROP\n"
                        + "-A INPUT -p tcp -m tcp --dport 1000: -j DROP\n"
                        + "-A INPUT -m conntrack --ctstatus ASSURED,SEEN_REPLY --ctstate DNAT,SNAT -j ACCEPT\n"
                        + "-A INPUT -m conntrack --ctdir REPLY --ctorigsrc 10.0.0.0/8 ! --ctorigdst 10.1.2.3"
                        + " --ctreplsrc 10.2.0.0/16 --ctrepldst 10.3.0.1/32 -j ACCEPT\n"
                        + "-A INPUT -m conntrack --ctorigsrcport 1000:2000 --ctorigdstport 80"
                        + " --ctreplsrcport 8080 ! --ctrepldstport 1000 ! --ctstatus NONE -j ACCEPT\n"
                        + "-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n"
                        + "-A INPUT -m state ! --state INVALID -j ACCEPT\n"
                        + "-A INPUT -m state --state NEW,UNTRACKED -j ACCEPT\n"
                        + "-A INPUT -m connmark --mark 0x2/0xff -j ACCEPT\n"
                        + "-A INPUT -m connmark ! --mark 0x1 -j ACCEPT\n"
                        + "-A INPUT -m statistic --mode nth --every 3 --packet 1 -j ACCEPT\n"
                        + "-A INPUT -m statistic --mode nth ! --every 2 --packet 0 -j ACCEPT\n"
                        + "-A INPUT -m recent --set --name SSH --mask 255.255.255.0 --rsource -j ACCEPT\n"
                        + "-A INPUT -m recent --rcheck --seconds 60 --hitcount 3 --rttl --name SSH -j DROP\n"
                        + "-A INPUT -m recent --update --seconds 10 --reap --name UPD --rdest -j DROP\n"
                        + "-A INPUT -m recent --remove --name SSH -j ACCEPT\n"
                        + "-A INPUT -m recent ! --rcheck --name DEFAULT -j ACCEPT\n"
                        + "-A INPUT -m limit --limit 5/sec --limit-burst 10 -j ACCEPT\n"
                        + "-A INPUT -m limit --limit 2/s -j ACCEPT\n"
                        + "-A INPUT -m limit --limit 3/min -j ACCEPT\n"
                        + "-A INPUT -m limit --limit 100/hour -j ACCEPT\n"
                        + "-A INPUT -m limit --limit 7/day -j ACCEPT\n"
                        + "-A INPUT -m limit -j ACCEPT\n"
                        + "-A INPUT -m iprange --dst-range 10.0.0.5-10.0.0.9 --src-range 10.1.0.1-10.1.0.200 -j DROP\n"
                        + "-A INPUT -m iprange ! --dst-range 10.0.0.5-10.0.0.9 -j DROP\n"
                        + "-A INPUT -m length --length 1000: -j DROP\n"
                        + "-A INPUT -m length --length 0:100 -j DROP\n"
                        + "-A INPUT -m length ! --length 1500 -j DROP\n"
                        + "-A INPUT -m ttl --ttl-eq 64 -j DROP\n"
                        + "-A INPUT -m ttl --ttl-lt 10 -j DROP\n"
                        + "-A INPUT -m ttl --ttl-gt 5 -j DROP\n"
                        + "-A INPUT -m ttl ! --ttl-eq 1 -j DROP\n"
                        + "-A INPUT -m pkttype --pkt-type host -j DROP\n"
                        + "-A INPUT -m pkttype --pkt-type broadcast -j DROP\n"
                        + "-A INPUT -m pkttype ! --pkt-type multicast -j DROP\n"
                        + "-A INPUT -m mac --mac-source 02:00:00:00:00:01 -j DROP\n"
                        + "-A INPUT -m mac ! --mac-source 02:AB:00:00:00:0F -j DROP\n"
                        + "-A FORWARD -m physdev --physdev-in veth0 --physdev-out veth1 -j DROP\n"
                        + "-A FORWARD -m physdev --physdev-is-bridged ! --physdev-is-in -j DROP\n"
                        + "-A FORWARD -m connmark --mark 0x1 -j CONNMARK --save-mark\n"
                        + "-A FORWARD -j CONNMARK --restore-mark\n"
                        + "-A FORWARD -j CONNMARK --set-mark 0x3/0xf\n"
                        + "-A FORWARD -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff00\n"
                        + "-A FORWARD -j CONNMARK --or-mark 0x8\n"
                        + "-A FORWARD -j NFLOG --nflog-group 5 --nflog-prefix \"nf pfx\" --nflog-size 128"
                        + " --nflog-threshold 2\n"
                        + "-A FORWARD -j NFLOG --nflog-threshold 3 --nflog-group 2\n"
                        + "-A FORWARD -j NFLOG\n"
                        + "-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu\n"
                        + "-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --set-mss 1400\n"
                        + "COMMIT\n",
                "*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n"
                        + ":OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
                        + "-A PREROUTING -j TOS --set-tos 0x10\n"
                        + "-A PREROUTING -j TOS --and-tos 0x0f\n"
                        + "-A PREROUTING -j TOS --or-tos 0x08\n"
                        + "-A PREROUTING -j TOS --xor-tos 0x04\n"
                        + "-A PREROUTING -j TOS --set-tos Minimize-Delay\n"
                        + "-A PREROUTING -j DSCP --set-dscp 0x2e\n"
                        + "COMMIT\n",
                "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                        + "-A PREROUTING -j CT --zone 5\n"
                        + "-A PREROUTING -j CT --notrack\n"
                        + "-A PREROUTING -p udp -j NOTRACK\n"
                        + "COMMIT\n",
                natHead
                        + "-A PREROUTING -p tcp -j DNAT --persistent --random --to-destination 10.0.0.1:80\n"
                        + "-A PREROUTING -j DNAT --to-destination 10.1.0.1-10.1.0.5\n"
                        + "-A PREROUTING -p tcp -j DNAT --to-destination :8080\n"
                        + "-A PREROUTING -p udp -j DNAT --to-destination 10.1.0.1:80-90\n"
                        + "-A POSTROUTING -j SNAT --persistent --to-source 10.0.0.9\n"
                        + "-A POSTROUTING -p tcp -j SNAT --to-source 192.0.2.1-192.0.2.9:1000-2000"
                        + " --random-fully --persistent\n"
                        + "-A POSTROUTING -p tcp -j MASQUERADE --random-fully --to-ports 5000\n"
                        + "-A POSTROUTING -p udp -j MASQUERADE --to-ports 1024-2048 --random\n"
                        + "-A POSTROUTING -j MASQUERADE --random --random-fully\n"
                        + "COMMIT\n");
    }

    /** {@code ipset restore} input for the {@code -m set} rules: every set type kpsim reads. */
    static final String SETS = "create s_ip hash:ip family inet hashsize 1024 maxelem 65536\n"
            + "add s_ip 10.0.0.1\n"
            + "create s_net hash:net family inet hashsize 1024 maxelem 65536\n"
            + "add s_net 10.8.0.0/16\n"
            + "add s_net 10.9.1.0/24 nomatch\n"
            + "create s_ipport hash:ip,port family inet hashsize 1024 maxelem 65536\n"
            + "add s_ipport 10.0.0.1,tcp:80\n"
            + "create s_netport hash:net,port family inet hashsize 1024 maxelem 65536\n"
            + "add s_netport 10.8.0.0/16,udp:53\n"
            + "create s_ipportip hash:ip,port,ip family inet hashsize 1024 maxelem 65536\n"
            + "add s_ipportip 10.0.0.1,tcp:80,10.1.0.1\n"
            + "create s_bmport bitmap:port range 1-1024\n"
            + "add s_bmport 22\n"
            + "create s_list list:set size 8\n"
            + "add s_list s_ip\n"
            + "add s_list s_net\n";

    @org.junit.jupiter.api.Test
    void setRulesSaveAsTheKernelSavesThem() throws IOException {
        String input = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + "-A INPUT -m set --match-set s_ip src -j ACCEPT\n"
                + "-A INPUT -m set ! --match-set s_net dst -j DROP\n"
                + "-A INPUT -m set --match-set s_ipport src,dst -j ACCEPT\n"
                + "-A INPUT -m set --match-set s_netport src,src --return-nomatch -j ACCEPT\n"
                + "-A INPUT -m set --match-set s_ipportip src,dst,dst --return-nomatch ! --update-counters -j DROP\n"
                + "-A INPUT -m set --match-set s_bmport dst -j DROP\n"
                + "-A INPUT -m set --match-set s_list src -j DROP\n"
                + "COMMIT\n";
        assumeTrue(exec(List.of("sh", "-c", "command -v ipset")).code == 0, "needs 'ipset' on PATH (Debian: ipset)");
        String name = namespace();
        try {
            Path sets = Files.createTempFile("kpsim-ipset-", ".sets");
            Path file = Files.createTempFile("kpsim-iptables-", ".rules");
            try {
                Files.writeString(sets, SETS, StandardCharsets.UTF_8);
                Files.writeString(file, input, StandardCharsets.UTF_8);
                Result loadSets =
                        exec(List.of("ip", "netns", "exec", name, "ipset", "restore", "-file", sets.toString()));
                assertEquals(0, loadSets.code, "ipset restore refused the sets: " + loadSets.output);
                Result load = exec(List.of("ip", "netns", "exec", name, "iptables-restore", file.toString()));
                assertEquals(0, load.code, "iptables-restore refused the input: " + load.output);
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(sets);
            }
            Result save = exec(List.of("ip", "netns", "exec", name, "iptables-save"));
            assertEquals(0, save.code, save.output);
            io.kpsim.netfilter.ipset.IpSets parsed = io.kpsim.netfilter.ipset.IpsetRestore.parse(SETS, "sets");
            assertEquals(
                    withoutComments(save.output),
                    IptablesRestore.parse(input, parsed, UnknownModules.REFUSE).save());
        } finally {
            exec(List.of("ip", "netns", "exec", name, "iptables", "-F"));
            exec(List.of("ip", "netns", "exec", name, "ipset", "destroy"));
            exec(List.of("ip", "netns", "delete", name));
        }
    }

    /** All four tables, created in the order nat, raw, filter, mangle: the backend prints its own order. */
    static final String FOUR_TABLES = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            + ":POSTROUTING ACCEPT [0:0]\n-A PREROUTING -j RETURN\nCOMMIT\n"
            + "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -j RETURN\nCOMMIT\n"
            + "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -j RETURN\nCOMMIT\n"
            + "*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
            + ":POSTROUTING ACCEPT [0:0]\n:KUBE-PROXY-CANARY - [0:0]\n-A FORWARD -j RETURN\nCOMMIT\n";

    @org.junit.jupiter.api.Test
    void tablesComeInTheBackendsOrder() throws IOException {
        kpsimSavesWhatTheKernelSaves(FOUR_TABLES);
    }

    /** One minor release per rule shape, 1.14 … 1.31. */
    static List<Integer> kubeProxyShapes() {
        return KubeProxyIptablesRelease.SHAPES;
    }

    /**
     * Each release's node rules as kpsim generates them (kubelet's chains, the jumps, the
     * canaries, kube-proxy's restore input for services with and without endpoints) load into the
     * kernel, and the kernel prints back exactly what kpsim prints. 1.31+ count INVALID drops into
     * an nfacct object, which kube-proxy creates over netlink before its restore; here
     * {@code nfacct add} does.
     */
    @ParameterizedTest
    @MethodSource("kubeProxyShapes")
    void kubeProxyRulesOfEveryReleaseLoadAndSaveAsKpsimSavesThem(int minor) throws IOException {
        KubeProxyConfig config = new KubeProxyConfig(
                io.kpsim.packet.Cidr.parse("10.0.0.0/8"), minor >= 15, true, 14, new KubeProxyIptablesRelease(minor));
        Ruleset rules = KubeProxyRules.ruleset(KubeProxyReleaseRulesTest.demoServices(), config);
        String input = rules.save();
        if (minor < 31) {
            kpsimSavesWhatTheKernelSaves(input);
            return;
        }
        assumeTrue(exec(List.of("sh", "-c", "command -v nfacct")).code == 0, "needs 'nfacct' on PATH (Debian: nfacct)");
        String name = namespace();
        try {
            Result add = exec(List.of("ip", "netns", "exec", name, "nfacct", "add", KubeProxyRules.INVALID_COUNTER));
            assertEquals(0, add.code, "nfacct add: " + add.output);
            assertEquals(withoutComments(loadAndSave(name, input)), input);
        } finally {
            exec(List.of("ip", "netns", "exec", name, "iptables", "-F"));
            exec(List.of("ip", "netns", "exec", name, "nfacct", "del", KubeProxyRules.INVALID_COUNTER));
            exec(List.of("ip", "netns", "delete", name));
        }
    }

    private static String loadAndSave(String name, String input) throws IOException {
        Path file = Files.createTempFile("kpsim-iptables-", ".rules");
        try {
            Files.writeString(file, input, StandardCharsets.UTF_8);
            Result load = exec(List.of("ip", "netns", "exec", name, "iptables-restore", file.toString()));
            assertEquals(0, load.code, "iptables-restore refused the input: " + load.output);
        } finally {
            Files.deleteIfExists(file);
        }
        Result save = exec(List.of("ip", "netns", "exec", name, "iptables-save"));
        assertEquals(0, save.code, save.output);
        return save.output;
    }

    @ParameterizedTest
    @MethodSource("rulesets")
    void kpsimSavesWhatTheKernelSaves(String input) throws IOException {
        String name = namespace();
        try {
            assertEquals(
                    withoutComments(loadAndSave(name, input)),
                    IptablesRestore.parse(input).save());
        } finally {
            exec(List.of("ip", "netns", "delete", name));
        }
    }

    private static String withoutComments(String save) {
        StringBuilder b = new StringBuilder();
        for (String line : save.split("\n", -1)) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    private static String namespace() {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("root (uid 0) for network namespaces");
        }
        for (String tool : List.of("ip", "iptables-restore", "iptables-save")) {
            if (exec(List.of("sh", "-c", "command -v " + tool)).code != 0) {
                missing.add("'" + tool + "' on PATH (Debian: " + (tool.equals("ip") ? "iproute2" : "iptables") + ")");
            }
        }
        assumeTrue(missing.isEmpty(), "needs " + String.join(", ", missing));
        String name;
        synchronized (IptablesSaveKernelTest.class) {
            name = "kpi" + ProcessHandle.current().pid() + "x" + (++counter);
        }
        Result add = exec(List.of("ip", "netns", "add", name));
        assumeTrue(add.code == 0, "needs 'ip netns add' to work: " + add.output.strip());
        return name;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private record Result(int code, String output) {}

    private static Result exec(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within 60 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
