package io.nearline.topology.cli;

import io.nearline.cluster.FlinkRestClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bin/nearline cluster}: submits a job jar to a Flink session cluster, stops a job with a savepoint, waits
 * for a job's tasks and cancels a job, through Flink's REST API ({@link FlinkRestClient}).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        subcommands = {ClusterCommand.Submit.class, ClusterCommand.Stop.class, ClusterCommand.AwaitRunning.class,
                ClusterCommand.Cancel.class},
        description = "Jobs on a Flink session cluster (its REST API).")
final class ClusterCommand implements Runnable {

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command: submit, stop, await-running or cancel");
    }

    /** The REST address every subcommand takes. */
    static final class Rest {
        @Option(names = "--rest", description = "The cluster's REST address (default: ${DEFAULT-VALUE}).")
        URI rest = URI.create("http://127.0.0.1:8081");

        FlinkRestClient client() {
            return new FlinkRestClient(rest);
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true,
            description = "Uploads a job jar, runs its entry class with the arguments after --, and prints the job id.")
    static final class Submit implements Callable<Integer> {

        @CommandLine.Mixin
        Rest rest = new Rest();

        @Option(names = "--jar", required = true, description = "The job jar.")
        Path jar;

        @Option(names = "--entry-class", description = "The job's main class (default: ${DEFAULT-VALUE}).")
        String entryClass = "io.nearline.topology.NearlineJob";

        @Option(names = "--parallelism", description = "The job's parallelism (default: ${DEFAULT-VALUE}).")
        int parallelism = 2;

        @Option(names = "--from-savepoint", description = "Restore from this savepoint or retained checkpoint.")
        String savepoint;

        @Option(names = "--allow-non-restored-state",
                description = "With --from-savepoint: drop the state of operators the job no longer has.")
        boolean allowNonRestoredState;

        @Option(names = "--await-running", converter = DurationConverter.class, description = "Wait until every task runs, at most this long (such as 120s; "
                + "default: do not wait).")
        Duration awaitRunning;

        @Parameters(description = "The job's arguments (after --).")
        List<String> args = List.of();

        @Override
        public Integer call() throws Exception {
            if (!Files.isRegularFile(jar)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--jar: no file at " + jar);
            }
            if (parallelism < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--parallelism must be at least 1, not " + parallelism);
            }
            if (allowNonRestoredState && savepoint == null) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--allow-non-restored-state goes with --from-savepoint");
            }
            FlinkRestClient client = rest.client();
            String jarId = client.uploadJar(jar);
            String job;
            try {
                job = client.runJar(jarId, entryClass, args, parallelism, savepoint, allowNonRestoredState);
            } catch (IOException refused) {
                client.deleteJar(jarId);
                throw new IllegalStateException("the cluster refused the job: " + reason(refused.getMessage()));
            }
            if (awaitRunning != null && !client.awaitAllTasksRunning(job, awaitRunning)) {
                throw new IllegalStateException("job " + job + " is " + client.jobState(job) + ", not running every task, after "
                        + awaitRunning);
            }
            System.out.println(job);
            return 0;
        }
    }

    private static final Pattern NEARLINE_REASON = Pattern.compile("nearline: ([^\\\\\"]*)");
    private static final Pattern CAUSE = Pattern.compile("Caused by: ([^\\\\\"]*)");

    /** The line that explains a refused submission: the job's own "nearline: ..." message, else the last cause. */
    static String reason(String answer) {
        Matcher nearline = NEARLINE_REASON.matcher(answer);
        if (nearline.find()) {
            return nearline.group(1);
        }
        String cause = null;
        Matcher causes = CAUSE.matcher(answer);
        while (causes.find()) {
            cause = causes.group(1);
        }
        return cause != null ? cause : answer.length() > 300 ? answer.substring(0, 300) + "..." : answer;
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stops a job with a savepoint (the only running job if none is named) and prints the savepoint's path.")
    static final class Stop implements Callable<Integer> {

        @CommandLine.Mixin
        Rest rest = new Rest();

        @Option(names = "--target-directory", description = "Where the savepoint goes (default: the cluster's savepoint directory).")
        String targetDirectory;

        @Option(names = "--timeout", converter = DurationConverter.class, description = "How long to wait for the savepoint (default: ${DEFAULT-VALUE}).")
        Duration timeout = Duration.ofMinutes(5);

        @Parameters(arity = "0..1", description = "The job id.")
        String job;

        @Override
        public Integer call() throws Exception {
            FlinkRestClient client = rest.client();
            String id = job;
            if (id == null) {
                List<String> running = client.runningJobs();
                if (running.isEmpty()) {
                    throw new IllegalStateException("no running job on " + rest.rest);
                }
                if (running.size() > 1) {
                    throw new IllegalStateException("several running jobs; name one: " + String.join(" ", running));
                }
                id = running.get(0);
            }
            System.err.println("stopping job " + id + " with a savepoint");
            System.out.println(client.stopWithSavepoint(id, targetDirectory, timeout));
            return 0;
        }
    }

    @Command(name = "await-running", mixinStandardHelpOptions = true,
            description = "Waits until every task of a job runs; fails if it does not within the timeout.")
    static final class AwaitRunning implements Callable<Integer> {

        @CommandLine.Mixin
        Rest rest = new Rest();

        @Option(names = "--timeout", converter = DurationConverter.class, description = "At most this long (default: ${DEFAULT-VALUE}).")
        Duration timeout = Duration.ofMinutes(2);

        @Parameters(description = "The job id.")
        String job;

        @Override
        public Integer call() throws Exception {
            FlinkRestClient client = rest.client();
            if (!client.awaitAllTasksRunning(job, timeout)) {
                throw new IllegalStateException("job " + job + " is " + client.jobState(job) + ", not running every task, after "
                        + timeout);
            }
            return 0;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a job.")
    static final class Cancel implements Callable<Integer> {

        @CommandLine.Mixin
        Rest rest = new Rest();

        @Parameters(description = "The job id.")
        String job;

        @Override
        public Integer call() throws Exception {
            rest.client().cancel(job);
            return 0;
        }
    }
}
