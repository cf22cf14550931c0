package io.kpsim.cli;

import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;

/**
 * Where picocli reads and writes one option's value: the field named {@code field} of an object
 * that reads and writes its option fields by name ({@link Fields}), instead of
 * {@link java.lang.reflect.Field}. The commands a short run starts are declared through picocli's
 * programmatic API ({@link CommandModel}) because building their model from annotations costs most
 * of a tiny run's start-up (src/docs/benchmarks.md, "Start-up", session 7). A field is named by a
 * string rather than reached through a pair of lambdas because linking each lambda's call site
 * costs about 0.3 ms in a fresh JVM, even with the class-data archive: {@code run}'s options took
 * 46 of them (session 9).
 */
final class Binding implements IGetter, ISetter {

    /** An object whose option fields picocli reads and writes by their names. */
    interface Fields {

        /**
         * The value of the field named {@code field}, boxed.
         *
         * @throws IllegalArgumentException when this object has no option field of that name (a bug)
         */
        Object get(String field);

        /**
         * Sets the field named {@code field} to {@code value}, which picocli converted to the field's type.
         *
         * @throws IllegalArgumentException when this object has no option field of that name (a bug)
         */
        void set(String field, Object value);
    }

    private final Fields owner;
    private final String field;

    /** The field named {@code field} of {@code owner}. */
    Binding(Fields owner, String field) {
        this.owner = owner;
        this.field = field;
    }

    /** The error a {@link Fields} raises for a name it does not have: a bug in the command's model. */
    static IllegalArgumentException noSuchField(Object owner, String field) {
        return new IllegalArgumentException(owner.getClass().getSimpleName() + " has no option field " + field);
    }

    @Override
    @SuppressWarnings("unchecked") // picocli reads the value as the option's type, which is the field's
    public <T> T get() {
        return (T) owner.get(field);
    }

    @Override
    public <T> T set(T value) {
        T old = get();
        owner.set(field, value);
        return old;
    }
}
