package io.nearline.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class BenchHelpTest {

    /**
     * picocli formats help texts with String.format: a bare '%' (as in "80% of") does not format, and --help then
     * prints a warning and the raw text. Every text of every benchmark must format.
     */
    @Test
    void everyBenchmarksHelpFormatsWithoutAWarning() {
        List<String> broken = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        walk(new CommandLine(new BenchMain()), broken, checked);

        assertThat(checked).contains("bench", "bench train", "bench throughput", "bench freshness");
        assertThat(broken).isEmpty();
    }

    private static void walk(CommandLine command, List<String> broken, List<String> checked) {
        CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        checked.add(spec.qualifiedName());
        List<String> texts = new ArrayList<>(List.of(spec.usageMessage().description()));
        texts.addAll(List.of(spec.usageMessage().header()));
        texts.addAll(List.of(spec.usageMessage().footer()));
        spec.options().forEach(option -> texts.addAll(List.of(option.description())));
        spec.positionalParameters().forEach(parameter -> texts.addAll(List.of(parameter.description())));
        for (String text : texts) {
            try {
                String.format(Locale.ROOT, text.replace("${DEFAULT-VALUE}", "x").replace("${COMPLETION-CANDIDATES}", "x"));
            } catch (java.util.IllegalFormatException e) {
                broken.add(spec.qualifiedName() + ": " + text);
            }
        }
        command.getSubcommands().values().forEach(sub -> walk(sub, broken, checked));
    }
}
