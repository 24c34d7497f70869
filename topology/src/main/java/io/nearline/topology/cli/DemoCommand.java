package io.nearline.topology.cli;

import io.nearline.operators.cache.CacheOptions;
import io.nearline.operators.config.NearlineOptions;
import io.nearline.operators.kafka.KafkaClientProperties;
import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.schemas.CacheKeys;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.RowNames;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.schemas.result.RecommendationRow;
import io.nearline.topology.demo.DemoData;
import io.nearline.topology.demo.FreshnessProbe;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The Java half of {@code bin/nearline demo} (the script starts the services and submits the job):
 * {@code prepare} generates a world with planted tastes, trains and publishes a model and builds similars;
 * {@code replay} sends the members' live plays in time order and shows rows changing as they watch, read back
 * from the cache, with the freshness of every update it saw.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, subcommands = {DemoCommand.Prepare.class, DemoCommand.Replay.class, DemoCommand.Cleanup.class},
        description = "The steps of bin/nearline demo.")
final class DemoCommand implements Runnable {

    static final long SEED = 42;
    static final int TITLES = 400;
    static final int MEMBERS = 300;
    static final int HISTORY = 40;
    static final int LIVE = 8;
    static final int SHOWCASE = 3;
    /** The rank the demo trains its model with: its world has 8 genres. */
    static final int TRAIN_RANK = 16;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing step: prepare, replay or cleanup");
    }

    static DemoData data(long now, long gapMillis) {
        return new DemoData(SEED, TITLES, MEMBERS, HISTORY, LIVE, SHOWCASE, now, gapMillis);
    }

    static Configuration config(Map<String, String> settings, CommandLine cli) {
        try {
            return NearlineOptions.fromSettings(settings);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--set: " + e.getMessage());
        }
    }

    @Command(name = "prepare", mixinStandardHelpOptions = true,
            description = "Generates the catalog and the members' past, trains and publishes a model, builds similars.")
    static final class Prepare implements Callable<Integer> {

        @Option(names = "--dir", required = true, description = "Folder for the generated files and artifacts.")
        Path dir;

        @Option(names = "--algorithms", required = true, description = "Folder of similars algorithm documents.")
        Path algorithms;

        @Option(names = {"-D", "--set"}, description = "Options for the tools (Kafka, Cassandra, topics); repeatable.")
        Map<String, String> settings = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            config(settings, new CommandLine(this));
            DemoData data = data(System.currentTimeMillis(), 1000);
            Files.createDirectories(dir);
            StringBuilder catalog = new StringBuilder();
            for (DemoData.Title title : data.titles()) {
                catalog.append(String.format(Locale.ROOT, "{\"id\": \"%s\", \"name\": \"%s\", \"facets\": {\"genre\": [\"%s\"], "
                        + "\"year\": [\"%d\"], \"decade\": [\"%d0s\"]}}%n", title.id(), title.name(), title.genre(), title.year(),
                        title.year() / 10));
            }
            Files.writeString(dir.resolve("catalog.jsonl"), catalog);
            StringBuilder history = new StringBuilder();
            for (DemoData.Play play : data.history()) {
                history.append(play.member()).append('\t').append(play.title()).append("\t5\t").append(play.time() / 1000).append('\n');
            }
            Files.writeString(dir.resolve("history.data"), history);
            System.out.printf("demo: %d titles in %d genres, %d members with two favourite genres each, %d past plays%n",
                    data.titles().size(), DemoData.GENRES.size(), MEMBERS, data.history().size());

            List<String> train = new ArrayList<>(List.of("train", "--ratings", dir.resolve("history.data").toString(),
                    "-D", "nearline.train.models-path=" + dir.resolve("models").toUri(), "-D", "nearline.train.version=v1",
                    "-D", "nearline.train.rank=" + TRAIN_RANK));
            settings.forEach((k, v) -> train.addAll(List.of("-D", k + "=" + v)));
            System.out.println("demo: training the model (TrainJob, implicit ALS) and publishing it");
            int trained = NearlineCli.run(train.toArray(new String[0]));
            if (trained != 0) {
                return trained;
            }
            List<String> similars = new ArrayList<>(List.of("similars", "--catalog", dir.resolve("catalog.jsonl").toString(),
                    "--algorithms", algorithms.toString(), "--ratings", dir.resolve("history.data").toString(),
                    "-D", "nearline.similars.output=" + dir.resolve("similars").toUri(), "-D", "nearline.similars.shards=4"));
            settings.forEach((k, v) -> similars.addAll(List.of("-D", k + "=" + v)));
            System.out.println("demo: building \"more like this\" similars (SimilarsBuildJob) and publishing them");
            return NearlineCli.run(similars.toArray(new String[0]));
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Replays the members' live plays into Kafka and shows their rows changing; ends with freshness.")
    static final class Replay implements Callable<Integer> {

        @Option(names = "--rate", description = "Plays sent per second (default: ${DEFAULT-VALUE}).")
        int rate = 150;

        @Option(names = "--wait", description = "Seconds to wait for the last rows (default: ${DEFAULT-VALUE}).")
        int waitSeconds = 30;

        @Option(names = {"-D", "--set"}, description = "Options (Kafka, cache, topics); repeatable.")
        Map<String, String> settings = new LinkedHashMap<>();

        @Override
        public Integer call() throws Exception {
            CommandLine cli = new CommandLine(this);
            if (rate < 1) {
                throw new CommandLine.ParameterException(cli, "--rate must be at least 1, not " + rate);
            }
            Configuration config = config(settings, cli);
            DemoData data = data(System.currentTimeMillis(), 1000);
            List<DemoData.Play> plays = data.live();
            Properties props = new Properties();
            props.putAll(KafkaClientProperties.from(config));
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get(KafkaOptions.BOOTSTRAP_SERVERS));
            props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            UiEventCodec codec = new UiEventCodec();
            Map<String, Integer> watched = new HashMap<>();
            try (FreshnessProbe probe = new FreshnessProbe(config.get(CacheOptions.SERVERS), (member, row) -> {
                if (data.showcase().contains(member)) {
                    System.out.printf("    %s's top picks now: %s%n", member, describe(row, data, 6));
                }
            })) {
                System.out.printf("demo: replaying %d live plays of %d members at %d per second; watching %s, who turn to a genre they never watched%n",
                        plays.size(), MEMBERS, rate, data.showcase());
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                    long start = System.nanoTime();
                    for (int i = 0; i < plays.size(); i++) {
                        long wait = start + (long) (i * 1e9 / rate) - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        DemoData.Play play = plays.get(i);
                        long time = System.currentTimeMillis();
                        UiEvent event = UiEvents.event("demo-" + i + "-" + time, play.member(), Instant.ofEpochMilli(time),
                                UiEvents.payload(EventKind.PLAY_COMPLETED, play.title()));
                        probe.sent(play.member(), time);
                        producer.send(new ProducerRecord<>(config.get(KafkaOptions.EVENTS_TOPIC), play.member().getBytes(StandardCharsets.UTF_8),
                                codec.encode(event)));
                        if (data.showcase().contains(play.member())) {
                            int n = watched.merge(play.member(), 1, Integer::sum);
                            System.out.printf("  %s watches %s (%s), play %d of %d%n", play.member(), play.title(), data.genreOf(play.title()), n, LIVE);
                        }
                        if ((i + 1) % Math.max(1, plays.size() / 5) == 0) {
                            System.out.printf("demo: %d of %d plays sent, %d seen in the cache%n", i + 1, plays.size(), probe.samples().size());
                        }
                    }
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
                while (probe.pending() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                System.out.println();
                for (String member : data.showcase()) {
                    byte[] top = probe.cache().get(CacheKeys.row(RowNames.TOP_PICKS, member));
                    System.out.printf("%s: top picks %s%n", member, top == null ? "(none yet)" : describe(io.nearline.schemas.RecommendationRowCodec.decode(top), data, 8));
                }
                String first = data.showcase().get(0);
                // Cassandra, the record, is written behind the cache: give it the interval to take the last rows.
                java.time.Duration behind = config.get(io.nearline.operators.cassandra.CassandraOptions.WRITE_BEHIND)
                        .plusSeconds(5);
                if (!RowsCommand.awaitCassandraAsCache(config, first, RowNames.TOP_PICKS, behind)) {
                    System.out.printf("demo: Cassandra does not hold %s's newest top picks %d s after the cache did%n", first,
                            behind.toSeconds());
                }
                System.out.println("\n" + first + "'s rows in Cassandra (bin/nearline rows " + first + "):");
                List<String> rows = new ArrayList<>(List.of("rows", first));
                settings.forEach((k, v) -> rows.addAll(List.of("-D", k + "=" + v)));
                NearlineCli.run(rows.toArray(new String[0]));
                int misses = probe.finish();
                List<Long> samples = probe.samples();
                if (samples.size() == misses) {
                    System.out.println("demo: no row reached the cache; is NearlineJob running? (bin/nearline services status, the Flink web UI)");
                    return 1;
                }
                System.out.printf(Locale.ROOT, "freshness (event time to the first cache read of a row that includes the play), "
                                + "%d plays, %d never seen: p50=%d ms p99=%d ms max=%d ms%n",
                        samples.size(), misses, FreshnessProbe.percentile(samples, 0.5), FreshnessProbe.percentile(samples, 0.99),
                        samples.get(samples.size() - 1));
                return 0;
            }
        }

        static String describe(RecommendationRow row, DemoData data, int limit) {
            StringBuilder text = new StringBuilder();
            Map<String, Integer> genres = new LinkedHashMap<>();
            for (String title : row.getTitles()) {
                genres.merge(data.genreOf(title), 1, Integer::sum);
            }
            List<String> first = row.getTitles().subList(0, Math.min(limit, row.getTitles().size()));
            for (String title : first) {
                text.append(text.length() == 0 ? "" : ", ").append(title).append(" (").append(data.genreOf(title)).append(')');
            }
            return text + (row.getTitles().size() > limit ? ", …" : "") + " — genres of all " + row.getTitles().size() + ": " + genres
                    + " [" + row.getModelName() + " " + row.getModelVersion() + "]";
        }

    }

    @Command(name = "cleanup", mixinStandardHelpOptions = true, description = "Drops the demo's Cassandra keyspace.")
    static final class Cleanup implements Callable<Integer> {

        @Option(names = {"-D", "--set"}, description = "The demo's options; nearline.cassandra.keyspace must start with demo_.")
        Map<String, String> settings = new LinkedHashMap<>();

        @Override
        public Integer call() {
            CommandLine cli = new CommandLine(this);
            Configuration config = config(settings, cli);
            io.nearline.operators.cassandra.CassandraConnection connection = io.nearline.operators.cassandra.CassandraConnection.from(config);
            if (!connection.keyspace().startsWith("demo_")) {
                throw new CommandLine.ParameterException(cli, "--set: nearline.cassandra.keyspace '" + connection.keyspace()
                        + "' is not a demo keyspace (demo_...)");
            }
            try (com.datastax.oss.driver.api.core.CqlSession session = connection.open(false)) {
                session.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(
                        "DROP KEYSPACE IF EXISTS " + connection.keyspace()).setTimeout(java.time.Duration.ofSeconds(60)));
            }
            return 0;
        }
    }
}
