package io.kpsim.scenario;

import java.util.Objects;

/**
 * A client's target: a service port, written {@code name:port} or {@code namespace/name:port}
 * (the port by number or by its name), resolved at load time to the port number. The binder then
 * gives the client the service's ClusterIP and this port, the address it connects to.
 *
 * @param namespace the service's namespace
 * @param name the service's name
 * @param port the service port number (not the target port)
 */
record ServiceRef(String namespace, String name, int port) {

    /** Null checks only. */
    ServiceRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return namespace + "/" + name + ":" + port;
    }
}
