package io.nearline.serving;

import io.nearline.operators.cli.CommandLines;
import io.nearline.operators.config.NearlineOptions;
import io.nearline.operators.members.RankerOptions;
import io.nearline.operators.serving.ServingOptions;
import io.nearline.serving.events.EventSettings;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code bin/nearline serve}: runs the online service until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Runs the online service: members' rows within a deadline, with fallbacks; galleries of a catalog "
                + "facet ranked at request time; similar titles; explanations.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-D", "--set"}, description = "An option of docs/configuration.md (nearline.serving.*, nearline.cache.*, "
            + "nearline.cassandra.*, nearline.kafka.bootstrap-servers, nearline.s3.*, nearline.ranker.* for galleries); repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(CommandLines.execute(new ServeCommand(), args));
    }

    @Override
    public Integer call() throws Exception {
        Configuration config;
        try {
            config = NearlineOptions.fromSettings(settings);
            RowOrderCheck.check(config);
            EventSettings.from(config);
            RankerOptions.settings(config);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--set: " + e.getMessage());
        }
        ServingServer server = ServingServer.start(config);
        System.out.printf("serving on http://%s:%d (the console at /; GET /v1/members/{member}/rows, /v1/members/{member}/gallery, "
                + "/v1/titles/{title}/similar, /v1/members/{member}/because/{title}, /v1/titles, /v1/facets, /v1/trending, "
                + "POST /v1/events, /health, /metrics)%n", config.get(ServingOptions.HOST), server.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                // stopping anyway
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    /** Parses the row-order rules up front, so that a bad one stops the start with its message. */
    static final class RowOrderCheck {
        static void check(Configuration config) {
            RowOrder.parse(config.getOptional(ServingOptions.ROW_ORDER).orElse(java.util.List.of()));
            java.time.ZoneId.of(config.get(ServingOptions.TIME_ZONE));
        }
    }
}
