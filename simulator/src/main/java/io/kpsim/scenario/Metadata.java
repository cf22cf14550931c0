package io.kpsim.scenario;

import java.util.Objects;

/**
 * {@code metadata:} of a scenario, as in Kubernetes objects: what it is called and what it teaches.
 *
 * @param name a DNS-1123 subdomain such as {@code boom-4.19}
 * @param description free text, {@code ""} when absent
 */
public record Metadata(String name, String description) {

    /** Null checks only. */
    public Metadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
    }
}
