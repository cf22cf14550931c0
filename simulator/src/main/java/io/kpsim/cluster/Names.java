package io.kpsim.cluster;

/** Checks the names of model objects, so bad input fails with the object it concerns. */
final class Names {

    private Names() {}

    static void check(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " name is empty");
        }
    }
}
