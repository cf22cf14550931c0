package io.kpsim.replay;

import io.kpsim.fault.UserFault;
import io.kpsim.packet.Ip4;
import java.util.ArrayList;
import java.util.List;

/**
 * A ClusterIP service as {@code kpsim replay --service} describes it: the virtual IP and port,
 * and the endpoints kube-proxy's KUBE-SEP chains DNAT to.
 *
 * @param vip the ClusterIP
 * @param port the service port
 * @param endpoints the backends, in the order KUBE-SVC lists them
 */
public record ServiceMapping(int vip, int port, List<Endpoint> endpoints) {

    /**
     * One backend of a service.
     *
     * @param ip the pod IP
     * @param port the target port
     */
    public record Endpoint(int ip, int port) {

        @Override
        public String toString() {
            return Ip4.format(ip, port);
        }
    }

    /** Copies the endpoint list. */
    public ServiceMapping {
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("a service needs at least one endpoint");
        }
    }

    /**
     * Parses {@code VIP:PORT=EP:PORT[,EP:PORT...]}, e.g. {@code 10.96.0.10:80=10.244.1.5:8080}.
     *
     * @throws UserFault one line naming the option, the text and what was expected
     */
    public static ServiceMapping parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 0) {
            throw bad(text, "missing '='");
        }
        Endpoint front = endpoint(text, text.substring(0, eq));
        String rest = text.substring(eq + 1);
        if (rest.isEmpty()) {
            throw bad(text, "no endpoints after '='");
        }
        List<Endpoint> backends = new ArrayList<>();
        for (String part : rest.split(",", -1)) {
            Endpoint e = endpoint(text, part);
            if (backends.contains(e)) {
                throw bad(text, "endpoint " + e + " listed twice");
            }
            backends.add(e);
        }
        return new ServiceMapping(front.ip(), front.port(), backends);
    }

    private static Endpoint endpoint(String whole, String part) {
        int colon = part.lastIndexOf(':');
        if (colon < 0) {
            throw bad(whole, "'" + part + "' has no port");
        }
        String ip = part.substring(0, colon);
        if (!Ip4.isValid(ip)) {
            throw bad(whole, "'" + ip + "' is not an IPv4 address");
        }
        int port;
        try {
            port = Integer.parseInt(part.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw bad(whole, "'" + part.substring(colon + 1) + "' is not a port number");
        }
        if (port < 1 || port > 65535) {
            throw bad(whole, "port " + port + " is not in 1..65535");
        }
        return new Endpoint(Ip4.parse(ip), port);
    }

    private static UserFault bad(String text, String why) {
        return new UserFault("--service '" + text + "': " + why + " (expected VIP:PORT=EP:PORT[,EP:PORT...])");
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(Ip4.format(vip, port)).append('=');
        for (int i = 0; i < endpoints.size(); i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append(endpoints.get(i));
        }
        return s.toString();
    }
}
