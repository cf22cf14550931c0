package io.kpsim.netfilter.ipset;

import io.kpsim.packet.Ip4;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code ipset save} output (which {@code ipset restore} reads back): {@code create NAME
 * TYPE [options]} lines, each followed by its {@code add NAME ELEMENT [options]} lines
 * ({@code -N} and {@code -A} are taken too), blank lines and {@code #} comments. Element
 * timeouts count from the start of the simulation (what {@code ipset save} prints is the time
 * left). IPv6 sets ({@code family inet6}) and types other than those of {@link IpSet}'s package
 * are refused with a one-line error naming the line and the type.
 */
public final class IpsetRestore {

    private IpsetRestore() {}

    /**
     * The sets the text creates.
     *
     * @param source what to call the text in errors (a file name)
     * @throws IpsetTextException {@code SOURCE:N: what} for the first bad line
     */
    public static IpSets parse(String text, String source) {
        Map<String, IpSet> sets = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                List<String> w = words(line);
                switch (w.get(0)) {
                    case "create", "-N" -> create(sets, w);
                    case "add", "-A" -> add(sets, w);
                    default ->
                        throw new IllegalArgumentException(
                                "unknown command '" + w.get(0) + "' (ipset save prints create and add lines)");
                }
            } catch (IllegalArgumentException e) {
                throw new IpsetTextException(source + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        for (IpSet s : sets.values()) {
            if (s instanceof ListSet l) {
                for (String m : l.members()) {
                    if (!sets.containsKey(m)) {
                        throw new IpsetTextException(
                                source + ": list:set " + s.name() + " names set " + m + ", which does not exist", null);
                    }
                }
            }
        }
        return new IpSets(sets);
    }

    private static void create(Map<String, IpSet> sets, List<String> w) {
        if (w.size() < 3) {
            throw new IllegalArgumentException("'create' needs a set name and a type");
        }
        String name = w.get(1);
        if (name.length() > 31) {
            throw new IllegalArgumentException("set name '" + name + "' is longer than 31 characters");
        }
        if (sets.containsKey(name)) {
            throw new IllegalArgumentException("set " + name + " already exists");
        }
        String type = w.get(2);
        int netmask = -1;
        long timeout = 0;
        long rangeLo = -1;
        long rangeHi = -1;
        int size = 8;
        for (int i = 3; i < w.size(); i++) {
            String opt = w.get(i);
            switch (opt) {
                case "family" -> {
                    String f = value(w, ++i, opt);
                    if (f.equals("inet6")) {
                        throw new IllegalArgumentException("set " + name + " is family inet6: IPv6 is not modelled");
                    }
                    if (!f.equals("inet")) {
                        throw new IllegalArgumentException("set " + name + ": unknown family '" + f + "'");
                    }
                }
                case "hashsize", "maxelem", "bucketsize", "initval", "markmask" -> value(w, ++i, opt);
                case "counters", "comment", "skbinfo", "forceadd" -> {
                    // extensions that do not change which packets match
                }
                case "timeout" -> timeout = number(value(w, ++i, opt), opt);
                case "netmask" -> {
                    int cidr = (int) number(value(w, ++i, opt), opt);
                    if (cidr < 1 || cidr > 32) {
                        throw new IllegalArgumentException("netmask " + cidr + " is not in 1..32");
                    }
                    netmask = Ip4.mask(cidr);
                }
                case "size" -> size = (int) number(value(w, ++i, opt), opt);
                case "range" -> {
                    String r = value(w, ++i, opt);
                    if (type.equals("bitmap:port")) {
                        int[] pr = Elements.portRange(r);
                        rangeLo = pr[0];
                        rangeHi = pr[1];
                    } else {
                        int[] ips = Elements.addresses(r, -1, 65536);
                        rangeLo = ips[0] & 0xffffffffL;
                        rangeHi = ips[ips.length - 1] & 0xffffffffL;
                    }
                }
                default -> throw new IllegalArgumentException("set " + name + ": unknown create option '" + opt + "'");
            }
        }
        long defaultTimeout = timeout == 0 ? 0 : timeout;
        IpSet set = switch (type) {
            case "hash:ip" -> hash(name, type, netmask, defaultTimeout, HashSet.Dim.IP);
            case "hash:net" -> hash(name, type, -1, defaultTimeout, HashSet.Dim.NET);
            case "hash:ip,port" -> hash(name, type, -1, defaultTimeout, HashSet.Dim.IP, HashSet.Dim.PORT);
            case "hash:net,port" -> hash(name, type, -1, defaultTimeout, HashSet.Dim.NET, HashSet.Dim.PORT);
            case "hash:ip,port,ip" ->
                hash(name, type, -1, defaultTimeout, HashSet.Dim.IP, HashSet.Dim.PORT, HashSet.Dim.IP);
            case "hash:ip,port,net" ->
                hash(name, type, -1, defaultTimeout, HashSet.Dim.IP, HashSet.Dim.PORT, HashSet.Dim.NET);
            case "bitmap:port", "bitmap:ip" -> {
                if (rangeLo < 0) {
                    throw new IllegalArgumentException("set " + name + ": " + type + " needs a range");
                }
                yield new BitmapSet(name, type.equals("bitmap:port"), rangeLo, rangeHi);
            }
            case "list:set" -> new ListSet(name, size);
            default ->
                throw new IllegalArgumentException("set " + name + ": type " + type + " is not modelled"
                        + " (kpsim reads hash:ip, hash:net, hash:ip,port, hash:net,port, hash:ip,port,ip,"
                        + " hash:ip,port,net, bitmap:port, bitmap:ip and list:set)");
        };
        sets.put(name, set);
    }

    private static HashSet hash(String name, String type, int netmask, long timeout, HashSet.Dim... dims) {
        return new HashSet(name, type, dims, netmask, timeout);
    }

    private static void add(Map<String, IpSet> sets, List<String> w) {
        if (w.size() < 3) {
            throw new IllegalArgumentException("'add' needs a set name and an element");
        }
        IpSet set = sets.get(w.get(1));
        if (set == null) {
            throw new IllegalArgumentException("set " + w.get(1) + " does not exist (no create line before it)");
        }
        long expires = Long.MAX_VALUE;
        boolean nomatch = false;
        for (int i = 3; i < w.size(); i++) {
            String opt = w.get(i);
            switch (opt) {
                case "timeout" -> {
                    long t = number(value(w, ++i, opt), opt);
                    expires = t == 0 ? Long.MAX_VALUE : t;
                }
                case "nomatch" -> nomatch = true;
                case "-exist", "--exist", "-!" -> {
                    // ipset restore's "ignore an element already there": adding it again changes nothing here
                }
                case "packets", "bytes", "comment", "skbmark", "skbprio", "skbqueue" -> value(w, ++i, opt);
                default ->
                    throw new IllegalArgumentException("set " + set.name() + ": unknown element option '" + opt + "'");
            }
        }
        try {
            set.add(w.get(2), new ElementOptions(expires, nomatch));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("set " + set.name() + " (" + set.type() + "): " + e.getMessage(), e);
        }
    }

    private static String value(List<String> w, int i, String option) {
        if (i >= w.size()) {
            throw new IllegalArgumentException("option '" + option + "' needs a value");
        }
        return w.get(i);
    }

    private static long number(String text, String option) {
        try {
            long v = text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a number");
        }
    }

    /** Splits on blanks; a double-quoted word (a comment) is one word. */
    private static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (!quoted && Character.isWhitespace(c)) {
                if (any) {
                    out.add(w.toString());
                    w.setLength(0);
                    any = false;
                }
            } else {
                w.append(c);
                any = true;
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unterminated quoted string");
        }
        if (any) {
            out.add(w.toString());
        }
        return out;
    }
}
