package io.kpsim.cli;

import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;

/**
 * Where picocli reads and writes one option's value: a field of a command, reached through two
 * lambdas instead of {@link java.lang.reflect.Field}. The commands a short run starts are declared
 * through picocli's programmatic API ({@link CommandModel}) because building their model from
 * annotations costs most of a tiny run's start-up (src/docs/benchmarks.md, "Start-up", session 7).
 *
 * @param <V> the field's type
 */
final class Binding<V> implements IGetter, ISetter {

    private final Supplier<V> read;
    private final Consumer<V> write;

    private Binding(Supplier<V> read, Consumer<V> write) {
        this.read = read;
        this.write = write;
    }

    /** The field {@code read} returns and {@code write} sets. */
    static <V> Binding<V> of(Supplier<V> read, Consumer<V> write) {
        return new Binding<>(read, write);
    }

    @Override
    @SuppressWarnings("unchecked") // picocli passes the value it converted to the option's type
    public <T> T get() {
        return (T) read.get();
    }

    @Override
    @SuppressWarnings("unchecked") // the option's declared type is this binding's type
    public <T> T set(T value) {
        T old = get();
        write.accept((V) value);
        return old;
    }
}
