package io.nearline.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BenchHelpTest {

    /**
     * picocli formats help texts with String.format: a bare '%' (as in "80% of") does not format, and --help then
     * prints a warning and the raw text. Every benchmark's help prints without one.
     */
    @Test
    void everyBenchmarksHelpPrintsWithoutAWarning() {
        List<String> checked = new ArrayList<>();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        PrintStream original = System.err;
        try {
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            walk(new CommandLine(new BenchMain()), checked);
        } finally {
            System.setErr(original);
        }

        assertThat(checked).contains("bench", "bench train", "bench throughput", "bench freshness", "bench soak");
        assertThat(errors.toString(StandardCharsets.UTF_8)).doesNotContain("WARN");
    }

    private static void walk(CommandLine command, List<String> checked) {
        checked.add(command.getCommandSpec().qualifiedName());
        command.getUsageMessage();
        command.getSubcommands().values().forEach(sub -> walk(sub, checked));
    }
}
