package io.kpsim.replay;

import io.kpsim.fault.UserFault;
import io.kpsim.netfilter.AddressMatch;
import io.kpsim.netfilter.Chain;
import io.kpsim.netfilter.DnatTarget;
import io.kpsim.netfilter.IptablesRestore;
import io.kpsim.netfilter.IptablesTextException;
import io.kpsim.netfilter.JumpTarget;
import io.kpsim.netfilter.Match;
import io.kpsim.netfilter.PortMatch;
import io.kpsim.netfilter.Rule;
import io.kpsim.netfilter.Ruleset;
import io.kpsim.netfilter.Table;
import io.kpsim.netfilter.TableRules;
import io.kpsim.netfilter.UnknownMatch;
import io.kpsim.netfilter.UnknownModules;
import io.kpsim.netfilter.ipset.IpSets;
import io.kpsim.netfilter.ipset.IpsetRestore;
import io.kpsim.netfilter.ipset.IpsetTextException;
import io.kpsim.netfilter.nftables.NftParser;
import io.kpsim.netfilter.nftables.NftRuleset;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A node's own rules, as {@code iptables-save} printed them there ({@code kpsim replay
 * --iptables-save FILE}): every table in the text, run by kpsim's rule engine instead of rules
 * generated from {@code --service}; or as {@code nft list ruleset} printed them ({@code
 * --nft-ruleset FILE}), every base chain run by kpsim's nftables engine on a node without
 * iptables tables, the services read back by {@link NftServices}.
 *
 * <p>A rule the engine cannot evaluate (a match module or target it does not model) is an error
 * naming the file, the line and the module or target: a ruleset with a rule left out would not
 * be the node's ({@code --unknown-match=ignore} keeps such a match as matching every packet, and
 * says so in {@link #notes()}). The services are read back from the
 * rules: a nat rule matching one destination address and port ({@code -d VIP/32 ... --dport P})
 * whose target leads, through jumps, to DNATs is a service whose endpoints are those DNATs, as
 * kube-proxy writes KUBE-SERVICES, KUBE-SVC-* and KUBE-SEP-*.
 *
 * @param file the file name as given
 * @param rules the iptables ruleset (empty with {@code nftables})
 * @param services the services found in the nat table or the nftables service maps
 * @param sets the node's ipsets ({@code ipset save}), for {@code -m set}
 * @param notes what reading noted: ignored match modules, iptables-legacy tables present
 * @param nftables the node's nftables ruleset, or {@code null} for iptables rules
 */
public record SavedRules(
        String file,
        Ruleset rules,
        List<ServiceMapping> services,
        IpSets sets,
        List<String> notes,
        NftRuleset nftables) {

    /** Copies the lists. */
    public SavedRules {
        services = List.copyOf(services);
        sets = sets == null ? IpSets.NONE : sets;
        notes = List.copyOf(notes);
    }

    /** iptables rules. */
    public SavedRules(String file, Ruleset rules, List<ServiceMapping> services) {
        this(file, rules, services, IpSets.NONE, List.of(), null);
    }

    /**
     * Reads {@code path}, a node's {@code nft list ruleset}.
     *
     * @throws UserFault one line: {@code --nft-ruleset FILE: no such file}, {@code FILE:LINE:COLUMN: what}
     */
    public static SavedRules readNft(Path path) {
        String name = path.toString();
        NftRuleset ruleset = NftParser.parse(name, text(path, "--nft-ruleset", "nft list ruleset"));
        return new SavedRules(name, Ruleset.empty(), NftServices.of(ruleset), IpSets.NONE, List.of(), ruleset);
    }

    /** The warning line {@code iptables-nft-save} prints when the legacy backend also holds tables. */
    static final String LEGACY_WARNING = "# Warning: iptables-legacy tables present";

    /**
     * Reads {@code path}.
     *
     * @throws UserFault one line: {@code FILE: no such file}, {@code FILE:LINE: what}
     */
    public static SavedRules read(Path path) {
        return read(path, null, UnknownModules.REFUSE);
    }

    /**
     * Reads {@code path} with the node's ipsets from {@code ipsetSave} ({@code ipset save} output,
     * or {@code null} for none), handling unknown match modules as {@code unknown} says. The
     * {@link #notes()} say what was ignored and whether the file warned of iptables-legacy tables
     * (which {@code iptables-nft-save} does not print: kpsim cannot see them either).
     *
     * @throws UserFault one line: {@code FILE: no such file}, {@code FILE:LINE: what}
     */
    public static SavedRules read(Path path, Path ipsetSave, UnknownModules unknown) {
        IpSets sets = ipsetSave == null ? IpSets.NONE : readSets(ipsetSave);
        String name = path.toString();
        String text = text(path, "--iptables-save", "iptables-save");
        Ruleset rules;
        try {
            rules = IptablesRestore.parse(text, sets, unknown);
        } catch (IptablesTextException e) {
            String m = e.getMessage();
            String where = m.startsWith("line ") ? m.substring("line ".length()) : " " + m;
            throw new UserFault(name + ":" + where, e);
        }
        List<String> notes = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().startsWith(LEGACY_WARNING)) {
                notes.add(name + ":" + (i + 1) + ": the node also has iptables-legacy tables, which this"
                        + " iptables-nft-save output does not include (save them with iptables-legacy-save)");
            }
        }
        for (Table t : Table.values()) {
            for (Chain c : rules.table(t).chains()) {
                for (Rule r : c.rules()) {
                    for (Match m : r.matches()) {
                        if (m instanceof UnknownMatch u) {
                            notes.add(name + ": --unknown-match=ignore: " + t.label() + " " + c.name() + ": '"
                                    + u.text() + "' treated as matching every packet");
                        }
                    }
                }
            }
        }
        return new SavedRules(name, rules, servicesOf(rules), sets, notes, null);
    }

    private static IpSets readSets(Path path) {
        String text = text(path, "--ipset-save", "ipset save");
        try {
            return IpsetRestore.parse(text, path.toString());
        } catch (IpsetTextException e) {
            throw new UserFault(e.getMessage(), e);
        }
    }

    private static String text(Path path, String option, String tool) {
        String name = path.toString();
        String text;
        try {
            byte[] bytes = Files.readAllBytes(path);
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (NoSuchFileException e) {
            throw new UserFault(option + " " + name + ": no such file", e);
        } catch (CharacterCodingException e) {
            throw new UserFault(option + " " + name + ": not text (" + tool + " prints UTF-8 text)", e);
        } catch (IOException e) {
            throw new UserFault(option + " " + name + ": cannot read (" + e.getMessage() + ")", e);
        }
        return text;
    }

    /** The services in the nat table, in the order their first rule appears. */
    static List<ServiceMapping> servicesOf(Ruleset rules) {
        TableRules nat = rules.table(Table.NAT);
        Map<String, Chain> chains = new LinkedHashMap<>();
        for (Chain c : nat.chains()) {
            chains.put(c.name(), c);
        }
        Map<Long, List<ServiceMapping.Endpoint>> found = new LinkedHashMap<>();
        for (Chain c : nat.chains()) {
            for (Rule r : c.rules()) {
                long front = front(r);
                if (front < 0 || !(r.target() instanceof JumpTarget j)) {
                    continue;
                }
                Set<ServiceMapping.Endpoint> endpoints = new java.util.LinkedHashSet<>();
                dnats(chains, j.chain(), endpoints, new HashSet<>(), (int) (front & 0xffff));
                if (!endpoints.isEmpty()) {
                    List<ServiceMapping.Endpoint> list = found.computeIfAbsent(front, k -> new ArrayList<>());
                    for (ServiceMapping.Endpoint e : endpoints) {
                        if (!list.contains(e)) {
                            list.add(e);
                        }
                    }
                }
            }
        }
        List<ServiceMapping> services = new ArrayList<>();
        found.forEach((front, endpoints) ->
                services.add(new ServiceMapping((int) (front >>> 16), (int) (front & 0xffff), endpoints)));
        return services;
    }

    /** {@code vip << 16 | port} for a rule matching one destination address and port, else -1. */
    private static long front(Rule r) {
        int vip = 0;
        boolean address = false;
        int port = -1;
        for (Match m : r.matches()) {
            if (m instanceof AddressMatch a
                    && !a.source()
                    && !a.negated()
                    && a.cidr().prefixLength() == 32) {
                vip = a.cidr().network();
                address = true;
            } else if (m instanceof PortMatch p
                    && !p.dportNegated()
                    && p.dportMin() == p.dportMax()
                    && p.sportMin() == 0
                    && p.sportMax() == PortMatch.ANY_MAX) {
                port = p.dportMin();
            }
        }
        return address && port > 0 ? ((vip & 0xffffffffL) << 16) | port : -1;
    }

    private static void dnats(
            Map<String, Chain> chains, String name, Set<ServiceMapping.Endpoint> out, Set<String> seen, int port) {
        Chain chain = chains.get(name);
        if (chain == null || !seen.add(name)) {
            return;
        }
        for (Rule r : chain.rules()) {
            if (r.target() instanceof DnatTarget d) {
                out.add(new ServiceMapping.Endpoint(d.ip(), d.port() == 0 ? port : d.port()));
            } else if (r.target() instanceof JumpTarget j) {
                dnats(chains, j.chain(), out, seen, port);
            }
        }
    }
}
