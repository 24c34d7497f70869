package io.nearline.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Collection;
import java.util.concurrent.Callable;

/** {@code bin/nearline bench NAME}: runs one benchmark and ends with its one-line summary. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchMain.Decode.class},
        description = "Runs a benchmark; the last line printed is its summary.")
public final class BenchMain implements Runnable {

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new BenchMain());
        cli.setParameterExceptionHandler((e, a) -> {
            System.err.println("nearline bench: " + e.getMessage());
            return 2;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing benchmark name: decode");
    }

    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + ", " + System.getProperty("os.arch");
    }

    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = "Decoding and validation of UI events. Last line: decode events_per_s=<x> threads=<n>")
    static final class Decode implements Callable<Integer> {

        @Option(names = "--threads", description = "Decoding threads (default: all cores).")
        int threads = Runtime.getRuntime().availableProcessors();

        @Option(names = "--seconds", description = "Measured seconds per iteration (default: ${DEFAULT-VALUE}).")
        int seconds = 3;

        @Override
        public Integer call() throws RunnerException {
            if (threads < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--threads must be at least 1");
            }
            Options options = new OptionsBuilder()
                    .include(DecodeBenchmark.class.getName() + ".decode")
                    .threads(threads)
                    .forks(1)
                    .warmupIterations(3)
                    .warmupTime(TimeValue.seconds(2))
                    .measurementIterations(5)
                    .measurementTime(TimeValue.seconds(seconds))
                    .build();
            Collection<RunResult> results = new Runner(options).run();
            double perSecond = results.iterator().next().getPrimaryResult().getScore();
            System.out.println("machine: " + machine());
            System.out.printf("decode events_per_s=%.0f threads=%d%n", perSecond, threads);
            return 0;
        }
    }
}
