package io.nearline.topology;

import io.nearline.operators.config.NearlineOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.HtmlFormatter;

/** Renders every {@code nearline.*} option as the Markdown table of docs/configuration.md. */
public final class OptionsDoc {

    private OptionsDoc() {}

    public static String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration\n\n")
                .append("Every `nearline.*` option, passed to a job as `--key value` (Flink's own options pass through the\n")
                .append("same way). This page is checked against the code by `OptionsDocTest`; regenerate it with\n")
                .append("`./mvnw -q -pl topology exec:java -Dexec.classpathScope=compile \\\n")
                .append("-Dexec.mainClass=io.nearline.topology.OptionsDoc -Dexec.args=docs/configuration.md`.\n\n")
                .append("| key | default | description |\n|---|---|---|\n");
        for (ConfigOption<?> option : NearlineOptions.all()) {
            Object value = option.hasDefaultValue() ? render(option.defaultValue()) : null;
            out.append("| `").append(option.key()).append("` | ")
                    .append(value == null ? "(none)" : "`" + value + "`").append(" | ")
                    .append(describe(option).replace("|", "\\|")).append(" |\n");
        }
        out.append("| `nearline.kafka.properties.*` | (none) | Any Kafka client setting, passed through to the "
                + "consumers and producers (for example `nearline.kafka.properties.security.protocol`). |\n");
        return out.toString();
    }

    /** A default as a user would write it: {@code 10 s} rather than {@code PT10S}, lists with {@code ;}. */
    private static Object render(Object value) {
        if (value instanceof java.time.Duration duration) {
            return org.apache.flink.util.TimeUtils.formatWithHighestUnit(duration);
        }
        if (value instanceof Enum<?> constant) {
            return constant.name();
        }
        if (value instanceof java.util.List<?> list) {
            return String.join(";", list.stream().map(String::valueOf).toList());
        }
        return value;
    }

    /** The option's description as plain text. */
    public static String describe(ConfigOption<?> option) {
        return new HtmlFormatter().format(option.description());
    }

    public static void main(String[] args) throws Exception {
        java.nio.file.Path target = java.nio.file.Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
        java.nio.file.Files.writeString(target, markdown());
        System.out.println("wrote " + target.toAbsolutePath().normalize());
    }
}
