package io.kpsim.scenario;

import java.util.Objects;

/**
 * A client's target: a service port, written {@code name:port} or {@code namespace/name:port}
 * (the port by number or by its name), resolved at load time to the port number.
 *
 * @param namespace the service's namespace
 * @param name the service's name
 * @param port the service port number (not the target port)
 */
public record ServiceRef(String namespace, String name, int port) {

    /** Null checks only. */
    public ServiceRef {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return namespace + "/" + name + ":" + port;
    }
}
