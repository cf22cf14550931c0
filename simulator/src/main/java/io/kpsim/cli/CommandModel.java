package io.kpsim.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Building blocks for commands declared through picocli's programmatic API, each giving what the
 * matching annotation gives: an option's label {@code <field>} when it names none, its initial
 * value, the standard {@code -h}/{@code -V} options of {@code mixinStandardHelpOptions}, and the
 * exit-code list's {@code code:text} lines. The help, the messages and the exit codes are the same
 * as the annotations gave (CommandModelTest compares them with what the annotated build printed,
 * {@code src/test/resources/golden/help}). Why: picocli builds an annotated command by reflection and makes one
 * {@link java.lang.reflect.Proxy} class per annotation type at run time, which no class-data
 * archive of JDK 17 keeps; for {@code kpsim run} that was about two thirds of picocli's start-up.
 */
final class CommandModel {

    /** picocli's key of the standard help options' mixin ({@code CommandLine.AutoHelpMixin.KEY}). */
    static final String STANDARD_HELP = "mixinStandardHelpOptions";

    private CommandModel() {}

    /** A command named {@code name} with {@code command} as its user object, without its options yet. */
    static CommandSpec command(Object command, String name, String[] description, String... exitCodes) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        spec.name(name);
        spec.usageMessage()
                .description(description)
                .exitCodeListHeading(ExitCode.HEADING)
                .exitCodeList(UsageMessageSpec.keyValuesMap(exitCodes));
        spec.addMixin(STANDARD_HELP, standardHelp());
        return spec;
    }

    /**
     * {@code -h, --help} and {@code -V, --version}, as picocli's {@code mixinStandardHelpOptions}
     * declares them (names, description keys and texts).
     */
    private static CommandSpec standardHelp() {
        CommandSpec mixin = CommandSpec.wrapWithoutInspection(null);
        HelpRequests requested = new HelpRequests();
        Binding help = new Binding(requested, "help");
        Binding version = new Binding(requested, "version");
        mixin.addOption(OptionSpec.builder("${picocli.help.name.0:--h}", "${picocli.help.name.1:---help}")
                .usageHelp(true)
                .descriptionKey("mixinStandardHelpOptions.help")
                .description("Show this help message and exit.")
                .type(boolean.class)
                .paramLabel("<helpRequested>")
                .initialValue(false)
                .getter(help)
                .setter(help)
                .build());
        mixin.addOption(OptionSpec.builder("${picocli.version.name.0:--V}", "${picocli.version.name.1:---version}")
                .versionHelp(true)
                .descriptionKey("mixinStandardHelpOptions.version")
                .description("Print version information and exit.")
                .type(boolean.class)
                .paramLabel("<versionRequested>")
                .initialValue(false)
                .getter(version)
                .setter(version)
                .build());
        return mixin;
    }

    /** Whether {@code -h} or {@code -V} was given: the fields of the standard help options. */
    private static final class HelpRequests implements Binding.Fields {

        private boolean help;
        private boolean version;

        @Override
        public Object get(String field) {
            return switch (field) {
                case "help" -> help;
                case "version" -> version;
                default -> throw Binding.noSuchField(this, field);
            };
        }

        @Override
        public void set(String field, Object value) {
            switch (field) {
                case "help" -> help = (Boolean) value;
                case "version" -> version = (Boolean) value;
                default -> throw Binding.noSuchField(this, field);
            }
        }
    }

    /**
     * An option bound to the field named {@code field} of {@code owner} (its label {@code <field>}
     * unless the caller sets one), with the field's current value as its initial value, as picocli
     * gives a field.
     */
    static OptionSpec.Builder option(String field, Class<?> type, Binding.Fields owner, String... names) {
        Binding binding = new Binding(owner, field);
        return OptionSpec.builder(names)
                .type(type)
                .paramLabel("<" + field + ">")
                .initialValue(binding.get())
                .getter(binding)
                .setter(binding);
    }

    /** A positional parameter bound to a field, as {@link #option} binds an option. */
    static PositionalParamSpec.Builder positional(String field, Class<?> type, Binding.Fields owner) {
        Binding binding = new Binding(owner, field);
        return PositionalParamSpec.builder()
                .type(type)
                .paramLabel("<" + field + ">")
                .initialValue(binding.get())
                .getter(binding)
                .setter(binding);
    }
}
