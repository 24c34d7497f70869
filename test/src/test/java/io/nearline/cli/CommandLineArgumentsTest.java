package io.nearline.cli;

import io.nearline.operators.cli.CommandLines;
import io.nearline.savepoints.cli.SavepointCli;
import io.nearline.serving.ServeCommand;
import io.nearline.topology.cli.NearlineCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bin/nearline subcommand given a wrong or missing argument prints one line naming it and exits non-zero.
 * The Java commands are walked through their picocli models (every subcommand, found rather than listed), the
 * shell ones through bin/nearline itself.
 */
class CommandLineArgumentsTest {

    /** The Java entry points of bin/nearline and how each runs a command line. */
    private static final Map<String, Function<String[], Integer>> TOOLS = Map.of(
            "nearline", NearlineCli::run,
            "nearline savepoint", SavepointCli::run,
            "nearline serve", args -> CommandLines.execute(new ServeCommand(), args));

    @Test
    void everyJavaSubcommandNamesAnUnknownOptionInOneLine() {
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, Function<String[], Integer>> tool : TOOLS.entrySet()) {
            CommandLine root = root(tool.getKey());
            for (List<String> path : leaves(root)) {
                List<String> args = new ArrayList<>(path);
                // Required positional parameters get a value: picocli reports a missing one before an unknown option.
                command(root, path).getCommandSpec().positionalParameters().forEach(p -> {
                    if (p.required()) {
                        args.add("x");
                    }
                });
                args.add("--no-such-option");
                Result result = run(tool.getValue(), args);
                assertThat(result.code()).as("%s %s", tool.getKey(), args).isNotZero();
                assertThat(result.error()).as("%s %s", tool.getKey(), args).contains("--no-such-option");
                checked.add(tool.getKey() + " " + String.join(" ", path));
            }
        }
        assertThat(checked).contains("nearline train", "nearline publish", "nearline similars", "nearline savepoint rollout",
                "nearline savepoint bootstrap", "nearline savepoint inspect", "nearline serve ");
    }

    /** picocli formats help texts with String.format: a bare '%' makes --help print a warning and the raw text. */
    @Test
    void everyJavaSubcommandsHelpPrintsWithoutAWarning() {
        java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        try {
            System.setErr(new java.io.PrintStream(errors, true, StandardCharsets.UTF_8));
            for (String tool : TOOLS.keySet()) {
                usage(root(tool));
            }
        } finally {
            System.setErr(original);
        }
        assertThat(errors.toString(StandardCharsets.UTF_8)).doesNotContain("WARN");
    }

    private static void usage(CommandLine command) {
        command.getUsageMessage();
        command.getSubcommands().values().forEach(CommandLineArgumentsTest::usage);
    }

    @Test
    void everyJavaSubcommandWithRequiredOptionsNamesTheOneMissing() {
        for (Map.Entry<String, Function<String[], Integer>> tool : TOOLS.entrySet()) {
            CommandLine root = root(tool.getKey());
            for (List<String> path : leaves(root)) {
                CommandLine command = command(root, path);
                List<String> required = new ArrayList<>();
                command.getCommandSpec().requiredArgs().forEach(arg -> required.add(
                        arg instanceof CommandLine.Model.OptionSpec option ? option.longestName() : arg.paramLabel()));
                if (required.isEmpty() && command.getCommandSpec().argGroups().stream().noneMatch(g -> g.multiplicity().min() > 0)) {
                    continue;
                }
                Result result = run(tool.getValue(), path);
                assertThat(result.code()).as("%s %s", tool.getKey(), path).isNotZero();
                assertThat(result.error()).as("%s %s", tool.getKey(), path).containsIgnoringCase("missing");
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nosuchcommand|unknown command 'nosuchcommand'",
        "services bogus|unknown verb 'bogus'",
        "services up nosuchservice|unknown service 'nosuchservice'",
        "demo --bogus|unknown argument '--bogus'",
        "run --parallelism zero|--parallelism must be a whole number",
        "run --from-savepoint /nonexistent|--from-savepoint: no savepoint at /nonexistent",
        "fuzz bogus|unknown target 'bogus'",
    })
    void shellSubcommandsNameTheWrongArgumentInOneLine(String line, String message) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(home().resolve("bin/nearline").toString());
        command.addAll(List.of(line.split(" ")));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String error = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(line).isNotZero();
        assertThat(error).as(line).contains(message);
        assertThat(error.lines().count()).as("one line: %s", error).isEqualTo(1);
    }

    private static CommandLine root(String tool) {
        return switch (tool) {
            case "nearline" -> new CommandLine(new NearlineCli());
            case "nearline savepoint" -> new CommandLine(new SavepointCli());
            default -> new CommandLine(new ServeCommand());
        };
    }

    private static CommandLine command(CommandLine root, List<String> path) {
        CommandLine command = root;
        for (String name : path) {
            command = command.getSubcommands().get(name);
        }
        return command;
    }

    /** The subcommand paths that run something (a command without subcommands), such as [savepoint, rollout]. */
    private static List<List<String>> leaves(CommandLine command) {
        List<List<String>> leaves = new ArrayList<>();
        if (command.getSubcommands().isEmpty()) {
            leaves.add(List.of());
            return leaves;
        }
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().name().equals(name)) { // skip aliases
                for (List<String> rest : leaves(sub)) {
                    List<String> path = new ArrayList<>();
                    path.add(name);
                    path.addAll(rest);
                    leaves.add(path);
                }
            }
        });
        return leaves;
    }

    private record Result(int code, String error) {}

    private static Result run(Function<String[], Integer> tool, List<String> args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = tool.apply(args.toArray(new String[0]));
        } finally {
            System.setErr(original);
        }
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(text.lines().count()).as("one line for %s: %s", args, text).isEqualTo(1);
        return new Result(code, text);
    }

    private static Path home() {
        return Path.of(System.getProperty("nearline.home", "..")).toAbsolutePath().normalize();
    }
}
