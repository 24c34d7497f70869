package io.nearline.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * CPU time of a local process found by its main class, from /proc (Linux): what a benchmark charges to the
 * TaskManager or to Cassandra per event. /proc counts in clock ticks of 1/100 s (USER_HZ, fixed for /proc on Linux).
 */
final class ProcessCpu {

    static final String TASK_MANAGER = "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
    static final String CASSANDRA = "org.apache.cassandra.service.CassandraDaemon";
    private static final long MICROS_PER_TICK = 10_000;

    private ProcessCpu() {}

    /** The user and system CPU of the first process whose command line names {@code mainClass}, in microseconds. */
    static OptionalLong micros(String mainClass) {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) processes.filter(p -> p.getFileName().toString().matches("\\d+"))::iterator) {
                try {
                    String command = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (!command.contains(mainClass)) {
                        continue;
                    }
                    String stat = Files.readString(dir.resolve("stat"));
                    // Fields after the command name in parentheses: state is field 3, utime 14, stime 15.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    return OptionalLong.of((Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MICROS_PER_TICK);
                } catch (IOException | RuntimeException e) {
                    // The process ended while we looked: try the next.
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
