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

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bin/nearline bench NAME}: runs one benchmark and ends with its one-line summary. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchMain.Decode.class, BenchMain.Sinks.class, BenchMain.Serving.class, BenchMain.ModelLoad.class,
        BenchMain.FoldIn.class, BenchMain.MemberState.class, BenchMain.Train.class,
        BenchMain.Similars.class, BenchMain.Freshness.class, BenchMain.Throughput.class, BenchMain.Soak.class},
        description = "Runs a benchmark; the last line printed is its summary.")
public final class BenchMain implements Runnable {

    /** JMH's forks get the Vector API, as the job's TaskManagers do, for the SIMD kernels of scoring and fold-in. */
    static final String VECTOR_API = "--add-modules=jdk.incubator.vector";

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
        throw new CommandLine.ParameterException(new CommandLine(this), "missing benchmark name: decode, sinks, serving, model-load, foldin, member-state, train, similars, freshness or throughput");
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
            Options options = new OptionsBuilder().jvmArgsAppend(VECTOR_API)
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

    @Command(name = "foldin", mixinStandardHelpOptions = true,
            description = "One member recompute (fold-in and top-N) at ranks 32, 64, 128 and catalogs of 10k and 100k titles, "
                    + "and the machine's multiply-add floor. Last line: "
                    + "foldin_us rank=64 items=10000 interactions=500 us=<x> floor_us=<x>")
    static final class FoldIn implements Callable<Integer> {

        @Option(names = "--quick", description = "Only rank 64, 10k titles, the configured solver (for a fast check).")
        boolean quick;

        @Override
        public Integer call() throws RunnerException {
            OptionsBuilder builder = new OptionsBuilder();
            builder.jvmArgsAppend(VECTOR_API);
            builder.include(FoldInBenchmark.class.getName() + ".(recompute|recomputeInBatch|foldIn|topN|topNInBatch|floor)$")
                    .forks(1)
                    .warmupIterations(3)
                    .warmupTime(TimeValue.milliseconds(600))
                    .measurementIterations(3)
                    .measurementTime(TimeValue.seconds(1));
            if (!quick) {
                builder.param("rank", "32", "64", "128").param("items", "10000", "100000")
                        .param("method", "CHOLESKY", "CONJUGATE_GRADIENT");
            }
            Collection<RunResult> results = new Runner(builder.build()).run();
            double floorMicros = 0;
            java.util.Map<String, Double> micros = new java.util.TreeMap<>();
            for (RunResult result : results) {
                String name = result.getParams().getBenchmark().replaceAll(".*\\.", "");
                double score = result.getPrimaryResult().getScore();
                if (name.equals("floor")) {
                    floorMicros = score;
                    continue;
                }
                String key = String.format("rank=%3s items=%6s %-18s %-9s", result.getParams().getParam("rank"),
                        result.getParams().getParam("items"), result.getParams().getParam("method"), name);
                micros.put(key, score);
            }
            // Multiply-adds per microsecond on an in-cache axpy loop, the same loop shape scoring uses.
            double macsPerMicro = FoldInBenchmark.Kernel.LENGTH * (double) FoldInBenchmark.Kernel.REPEATS / floorMicros;
            System.out.println("machine: " + machine());
            System.out.printf("multiply-add rate: %.0f per us (in-cache float axpy)%n", macsPerMicro);
            System.out.println("kernels: Vector API in the forks (" + VECTOR_API + "): bfloat16 scoring with exact rescoring, "
                    + "fused dot products in conjugate gradient");
            micros.forEach((key, value) -> System.out.printf("%s %10.1f us%n", key, value));
            String chosen = String.format("rank= 64 items= 10000 %-18s %-9s", "CONJUGATE_GRADIENT", "recompute");
            double us = micros.getOrDefault(chosen, Double.NaN);
            double batched = micros.getOrDefault(String.format("rank= 64 items= 10000 %-18s %-9s", "CONJUGATE_GRADIENT",
                    "recomputeInBatch"), Double.NaN);
            // The job scores members folded in within one slot together (nearline.members.scoring-batch-delay).
            System.out.printf("recompute per member, alone: %.1f us; in a scoring batch of %d: %.1f us%n", us,
                    FoldInBenchmark.Batch.SIZE, batched);
            // The least work a recompute can do: score every title once, and touch each interaction's factors twice.
            double floor = (10_000.0 * 64 + 2.0 * 500 * 64 + 64 * 64) / macsPerMicro;
            System.out.printf("foldin_us rank=64 items=10000 interactions=500 us=%.1f floor_us=%.1f%n", us, floor);
            return 0;
        }
    }

    @Command(name = "member-state", mixinStandardHelpOptions = true,
            description = "The member operator on RocksDB through Flink's test harness: cost per event and per recompute. "
                    + "Last line: member_state event_us=<x> recompute_us=<x> interactions=<n> items=<n> rank=<k> backend=rocksdb")
    static final class MemberState implements Callable<Integer> {

        @Option(names = "--members", description = "Members (default: ${DEFAULT-VALUE}).")
        int members = 1000;

        @Option(names = "--rounds", description = "Rounds of events then one recompute per member (default: ${DEFAULT-VALUE}).")
        int rounds = 12;

        @Option(names = "--events-per-round", description = "Events per member per round (default: ${DEFAULT-VALUE}).")
        int eventsPerRound = 50;

        @Option(names = "--items", description = "Titles in the model (default: ${DEFAULT-VALUE}).")
        int items = 10_000;

        @Option(names = "--rank", description = "Rank of the model (default: ${DEFAULT-VALUE}).")
        int rank = 64;

        @Override
        public Integer call() throws Exception {
            if (members < 1 || rounds < 1 || eventsPerRound < 1 || items < 1 || rank < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "all options must be positive");
            }
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("nearline-member-state");
            MemberStateBenchmark.Result result = MemberStateBenchmark.run(members, rounds, eventsPerRound, items, rank, dir);
            System.out.println("machine: " + machine() + "; " + members + " members, one subtask, RocksDB on local disk");
            System.out.printf("member_state event_us=%.1f recompute_us=%.1f interactions=%d items=%d rank=%d backend=rocksdb%n",
                    result.eventMicros(), result.recomputeMicros(), result.interactions(), items, rank);
            return 0;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "TrainJob against Spark MLlib's ALS on the first 80%% in time of a ratings file, then both models' "
                    + "nearline HR@10 on the rest. Last line: train seconds=<x> spark_seconds=<x> speedup=<x> hr10=<x> spark_hr10=<x>")
    static final class Train implements Callable<Integer> {

        @Option(names = "--ratings", required = true, description = "u.data or ratings.csv.")
        java.nio.file.Path ratings;

        @Option(names = "--rank", description = "Rank of both models (default: ${DEFAULT-VALUE}).")
        int rank = 64;

        @Option(names = "--iterations", description = "ALS iterations of both (default: ${DEFAULT-VALUE}).")
        int iterations = 10;

        @Option(names = "--spark-reg-param", description = "Spark's regParam, which it scales by each row's count "
                + "(default: ${DEFAULT-VALUE}).")
        double sparkRegParam = 0.1;

        @Override
        public Integer call() throws Exception {
            String sparkClasspath = System.getProperty("nearline.spark.classpath");
            if (sparkClasspath == null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "no Spark classpath: run it as bin/nearline bench train");
            }
            if (!java.nio.file.Files.isRegularFile(ratings)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--ratings: no file " + ratings);
            }
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("nearline-bench-train");
            TrainBenchmark.Result result = TrainBenchmark.run(ratings, rank, iterations, sparkRegParam, sparkClasspath, dir);
            System.out.println("machine: " + machine() + "; " + result.titles() + " titles, rank " + rank + ", " + iterations
                    + " iterations, both on all cores in one process each (TrainJob: a local Flink; Spark: local mode)");
            System.out.println(TrainBenchmark.line(result));
            return 0;
        }
    }

    @Command(name = "sinks", mixinStandardHelpOptions = true,
            description = "Write throughput into the local Cassandra and memcached through the sinks. Last line: "
                    + "sinks cassandra_rows_per_s=<x> cache_sets_per_s=<x>")
    static final class Sinks implements Callable<Integer> {

        @Option(names = "--rows", description = "Rows per sink (default: ${DEFAULT-VALUE}).")
        long rows = 200_000;

        @Option(names = "--parallelism", description = "Sink parallelism (default: ${DEFAULT-VALUE}).")
        int parallelism = 2;

        @Option(names = "--cassandra", description = "Cassandra host:port (default: ${DEFAULT-VALUE}).")
        String cassandra = "127.0.0.1:" + System.getenv().getOrDefault("NEARLINE_CASSANDRA_PORT", "9042");

        @Option(names = "--memcached", description = "memcached host:port (default: ${DEFAULT-VALUE}).")
        String memcached = "127.0.0.1:" + System.getenv().getOrDefault("NEARLINE_MEMCACHED_PORT", "11211");

        @Override
        public Integer call() throws Exception {
            if (rows < 1 || parallelism < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--rows and --parallelism must be positive");
            }
            SinksBenchmark.cassandraRowsPerSecond(cassandra, Math.min(rows, 20_000), parallelism); // warm-up
            double cassandraRate = SinksBenchmark.cassandraRowsPerSecond(cassandra, rows, parallelism);
            SinksBenchmark.cacheSetsPerSecond(memcached, Math.min(rows, 20_000), parallelism); // warm-up
            double cacheRate = SinksBenchmark.cacheSetsPerSecond(memcached, rows, parallelism);
            System.out.println("machine: " + machine() + "; rows of 10 titles, parallelism " + parallelism);
            System.out.printf("sinks cassandra_rows_per_s=%.0f cache_sets_per_s=%.0f%n", cassandraRate, cacheRate);
            return 0;
        }
    }

    @Command(name = "serving", mixinStandardHelpOptions = true,
            description = "The online service under load from wrk (a second process on loopback): rows of members in the cache "
                    + "and of members only Cassandra has, galleries ranked at request time (a 10k-title rank-64 model), "
                    + "events posted in batches of 100. Rates count answers from their source only, fallbacks apart; p99 "
                    + "is over every answer. Last line: serving cache_rps=<x> cache_p99_ms=<x> cassandra_rps=<x> "
                    + "cassandra_p99_ms=<x> gallery_rps=<x> gallery_p99_ms=<x> events_per_s=<x>")
    static final class Serving implements Callable<Integer> {

        @Option(names = "--members", description = "Members of each kind (default: ${DEFAULT-VALUE}).")
        int members = 10_000;

        @Option(names = "--connections", description = "wrk's open connections (default: ${DEFAULT-VALUE}).")
        int connections = 32;

        @Option(names = "--seconds", description = "Measured seconds per load (default: ${DEFAULT-VALUE}).")
        int seconds = 20;

        @Option(names = "--cassandra", description = "Cassandra host:port (default: ${DEFAULT-VALUE}).")
        String cassandra = "127.0.0.1:" + System.getenv().getOrDefault("NEARLINE_CASSANDRA_PORT", "9042");

        @Option(names = "--memcached", description = "memcached host:port (default: ${DEFAULT-VALUE}).")
        String memcached = "127.0.0.1:" + System.getenv().getOrDefault("NEARLINE_MEMCACHED_PORT", "11211");

        @Option(names = "--kafka", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
        String kafka = "127.0.0.1:" + System.getenv().getOrDefault("NEARLINE_KAFKA_PORT", "9092");

        @Override
        public Integer call() throws Exception {
            if (members < 1 || connections < 1 || seconds < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--members, --connections and --seconds must be positive");
            }
            ServingBenchmark.prepare(cassandra, memcached, members);
            String run = "bench-serving-" + System.currentTimeMillis();
            String published = run + "-published";
            String events = run + "-events";
            ServingTopics.create(kafka, published, events);
            try {
                return measure(run, published, events);
            } finally {
                ServingTopics.delete(kafka, published, events);
            }
        }

        private int measure(String run, String published, String events) throws Exception {
            try (var session = GalleryLoad.session(cassandra)) {
                var cache = ServingBenchmark.cacheClient(memcached);
                try {
                    GalleryLoad.prepare(kafka, published, session, ServingBenchmark.KEYSPACE, cache, members);
                } finally {
                    cache.shutdown();
                }
            }
            ServingBenchmark.Load cache;
            ServingBenchmark.Load cassandraLoad;
            ServingBenchmark.Load gallery;
            ServingBenchmark.Load posted;
            double cacheShare;
            double cassandraShare;
            double galleryShare;
            try (io.nearline.serving.ServingServer server = ServingBenchmark.start(cassandra, memcached, kafka, published, events, false)) {
                ServingBenchmark.awaitGalleries(server.port(), Duration.ofSeconds(120));
                ServingBenchmark.load(server.port(), "c", members, connections, 5); // warm-up: JIT, connections
                Answers answers = new Answers(server.port());
                cache = ServingBenchmark.load(server.port(), "c", members, connections, seconds);
                cacheShare = answers.rowsNotFallback();
                ServingBenchmark.load(server.port(), "d", members, connections, 5);
                Map<String, Double> before = ServingBenchmark.rowsBySource(server.port());
                answers = new Answers(server.port());
                cassandraLoad = ServingBenchmark.load(server.port(), "d", members, connections, seconds);
                cassandraShare = answers.rowsNotFallback();
                Map<String, Double> after = ServingBenchmark.rowsBySource(server.port());
                StringBuilder sources = new StringBuilder();
                after.forEach((source, n) -> sources.append(' ').append(source).append('=')
                        .append(String.format("%.0f", n - before.getOrDefault(source, 0.0))));
                System.out.println("rows served during the Cassandra load, by source:" + sources);
                String galleries = GalleryLoad.script(members);
                ServingBenchmark.load(server.port(), galleries, connections, 5);
                answers = new Answers(server.port());
                gallery = ServingBenchmark.load(server.port(), galleries, connections, seconds);
                galleryShare = answers.galleriesComputed();
                String batches = EventsLoad.script(run);
                ServingBenchmark.load(server.port(), batches, connections, 5);
                posted = ServingBenchmark.load(server.port(), batches, connections, seconds);
            }
            ServingBenchmark.Load near;
            try (io.nearline.serving.ServingServer server = ServingBenchmark.start(cassandra, memcached, kafka, published, events, true)) {
                ServingBenchmark.load(server.port(), "c", members, connections, 5);
                near = ServingBenchmark.load(server.port(), "c", members, connections, seconds);
            }
            double eventsPerSecond = (posted.requests() - posted.non2xx()) * (double) EventsLoad.BATCH / posted.seconds();
            System.out.println("machine: " + machine() + "; wrk -t1 -c" + connections + " -d" + seconds + "s on loopback, "
                    + members + " members of each kind, rows of 25 titles, galleries of 25 of "
                    + GalleryLoad.TITLES / GalleryLoad.GENRES.size() + " titles of a genre (" + GalleryLoad.TITLES
                    + " titles, rank " + GalleryLoad.RANK + "), events in batches of " + EventsLoad.BATCH + ", near cache off unless said");
            System.out.printf("cache hits with the near cache on (2 s): rps=%.0f p99_ms=%.2f%n", near.requestsPerSecond(), near.p99Millis());
            System.out.printf("answers from their source (the rest are fallbacks): cache %.1f%%, cassandra %.1f%%, gallery computed %.1f%%%n",
                    100 * cacheShare, 100 * cassandraShare, 100 * galleryShare);
            System.out.printf("non-2xx answers: cache=%d cassandra=%d gallery=%d events=%d near=%d%n", cache.non2xx(),
                    cassandraLoad.non2xx(), gallery.non2xx(), posted.non2xx(), near.non2xx());
            System.out.printf("serving cache_rps=%.0f cache_p99_ms=%.2f cassandra_rps=%.0f cassandra_p99_ms=%.2f gallery_rps=%.0f "
                    + "gallery_p99_ms=%.2f events_per_s=%.0f%n",
                    cache.rate(cacheShare), cache.p99Millis(), cassandraLoad.rate(cassandraShare), cassandraLoad.p99Millis(),
                    gallery.rate(galleryShare), gallery.p99Millis(), eventsPerSecond);
            return 0;
        }
    }

    @Command(name = "model-load", mixinStandardHelpOptions = true,
            description = "Fetch, verify and parse a model artifact from the local S3 server. Last line: "
                    + "model_load ms=<x> items=<n> rank=<k>")
    static final class ModelLoad implements Callable<Integer> {

        @Option(names = "--items", description = "Items in the model (default: ${DEFAULT-VALUE}).")
        int items = 100_000;

        @Option(names = "--rank", description = "Rank of the model (default: ${DEFAULT-VALUE}).")
        int rank = 64;

        @Option(names = "--runs", description = "Loads to take the median of (default: ${DEFAULT-VALUE}).")
        int runs = 5;

        @Override
        public Integer call() throws Exception {
            if (items < 1 || rank < 1 || runs < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--items, --rank and --runs must be positive");
            }
            double millis = ModelLoadBenchmark.medianLoadMillis(ModelLoadBenchmark.localS3(), items, rank, runs);
            System.out.println("machine: " + machine() + "; median of " + runs + " loads");
            System.out.printf("model_load ms=%.0f items=%d rank=%d%n", millis, items, rank);
            return 0;
        }
    }

    @Command(name = "similars", mixinStandardHelpOptions = true,
            description = "SimilarsBuildJob on a generated catalog with three algorithms and one blend. Last line: "
                    + "similars seconds=<x> titles=10000 algorithms=4")
    static final class Similars implements Callable<Integer> {

        @Option(names = "--titles", description = "Titles in the generated catalog (default: ${DEFAULT-VALUE}).")
        int titles = 10_000;

        @Option(names = "--members", description = "Members whose viewing gives co-watch (default: ${DEFAULT-VALUE}).")
        int members = 20_000;

        @Option(names = "--views", description = "Titles each member watched (default: ${DEFAULT-VALUE}).")
        int views = 30;

        @Option(names = "--parallelism", description = "Parallelism of the job (default: ${DEFAULT-VALUE}).")
        int parallelism = 2;

        @Option(names = "--shards", description = "Shards per algorithm (default: ${DEFAULT-VALUE}).")
        int shards = 16;

        @Override
        public Integer call() throws Exception {
            if (titles < 2 || members < 1 || views < 1 || parallelism < 1 || shards < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--titles must be at least 2 and --members, --views, --parallelism, --shards at least 1");
            }
            return SimilarsBenchmark.run(titles, members, views, parallelism, shards);
        }
    }

    /** The shaded job jar, which the cluster benchmarks ship to the session cluster. */
    static String jobJar(CommandLine cli) {
        String jar = System.getProperty("nearline.job.jar");
        if (jar == null || !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(jar))) {
            throw new CommandLine.ParameterException(cli, "no job jar (-Dnearline.job.jar): run it as bin/nearline bench NAME");
        }
        return jar;
    }

    @Command(name = "freshness", mixinStandardHelpOptions = true,
            description = "NearlineJob on the local cluster under a fixed rate of plays; time from a play to the first cache "
                    + "read of its member's row that includes it (plays never seen count as misses). Last line: "
                    + "freshness_ms p50=<x> p99=<x> max=<x> rate=<x>; with --sweep: freshness_capacity plays_per_s=<x> p99_ms=<x>")
    static final class Freshness implements Callable<Integer> {

        @Option(names = "--sweep", description = "Run 50, 1000, 2500, 5000, 10000 and 20000 plays/s one after the other and "
                + "end with the highest rate (from 1000) whose p99 is within 500 ms with no misses.")
        boolean sweep;

        @Option(names = "--rate", description = "Plays per second (default: ${DEFAULT-VALUE}).")
        int rate = 5_000;

        @Option(names = "--seconds", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
        int seconds = 60;

        @Option(names = "--members", description = "Members the plays are spread over (default: ${DEFAULT-VALUE}).")
        int members = 20_000;

        @Option(names = "--titles", description = "Titles of the model, rank 64 (default: ${DEFAULT-VALUE}).")
        int titles = 10_000;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = new CommandLine(this);
            if (rate < 1 || seconds < 1 || members < 1 || titles < 1) {
                throw new CommandLine.ParameterException(cli, "--rate, --seconds, --members and --titles must be at least 1");
            }
            return sweep ? FreshnessBenchmark.sweep(seconds, members, titles, jobJar(cli))
                    : FreshnessBenchmark.run(rate, seconds, members, titles, jobJar(cli));
        }
    }

    @Command(name = "soak", mixinStandardHelpOptions = true,
            description = "The self-checking NearlineJob on the local cluster at a steady rate for a long time (bin/nearline soak; "
                    + "not part of CI). Last line: soak minutes=<x> events=<n> lost=<n> duplicated=<n> restarts=<n> "
                    + "max_checkpoint_ms=<x>")
    static final class Soak implements Callable<Integer> {

        @Option(names = "--minutes", description = "Minutes of sending (default: ${DEFAULT-VALUE}).")
        int minutes = 30;

        @Option(names = "--rate", description = "Events per second, 30%% of them time-sensitive (default: ${DEFAULT-VALUE}).")
        int rate = 1_000;

        @Option(names = "--members", description = "The fixed member population (default: ${DEFAULT-VALUE}).")
        int members = 5_000;

        @Option(names = "--titles", description = "Titles of the model, rank 64 (default: ${DEFAULT-VALUE}).")
        int titles = 5_000;

        @Option(names = "--kill-taskmanager-every", paramLabel = "MINUTES",
                description = "kill -9 of the TaskManager every this many minutes, then a new one; 0 never (default: ${DEFAULT-VALUE}).")
        int killEvery = 0;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = new CommandLine(this);
            if (minutes < 1 || rate < 1 || members < 1 || titles < 1 || killEvery < 0) {
                throw new CommandLine.ParameterException(cli,
                        "--minutes, --rate, --members and --titles must be at least 1, --kill-taskmanager-every not negative");
            }
            SoakRun.Result result = SoakRun.run(minutes, rate, members, titles, killEvery, jobJar(cli));
            System.out.println("machine: " + machine() + "; Kafka, Cassandra, memcached and Flink on the same cores; " + members
                    + " members, " + rate + " events/s");
            List<Long> sizes = result.stateSizes();
            System.out.println("soak: checkpoint state size by minute, then at the end (MB): " + sizes.stream()
                    .map(size -> String.format(java.util.Locale.ROOT, "%.1f", size / 1e6)).toList());
            if (sizes.size() >= 4) {
                long middle = sizes.get(sizes.size() / 2);
                System.out.printf(java.util.Locale.ROOT, "soak: state size growth over the second half of the run: %+.1f%%%n",
                        100.0 * (sizes.get(sizes.size() - 1) - middle) / Math.max(1, middle));
            }
            System.out.printf(java.util.Locale.ROOT, "soak minutes=%.0f events=%d lost=%d duplicated=%d restarts=%d max_checkpoint_ms=%d%n",
                    result.minutes(), result.events(), result.lost(), result.duplicated(), result.restarts(), result.maxCheckpointMillis());
            return result.lost() == 0 && result.duplicated() == 0 ? 0 : 1;
        }
    }

    @Command(name = "throughput", mixinStandardHelpOptions = true,
            description = "Events per second of NearlineJob and of a pass-through job on the same input and cluster. Last line: "
                    + "throughput events_per_s nearline=<x> passthrough=<x> ratio=<x>")
    static final class Throughput implements Callable<Integer> {

        @Option(names = "--events", description = "Events in the input (default: ${DEFAULT-VALUE}).")
        int events = 500_000;

        @Option(names = "--members", description = "Members (default: ${DEFAULT-VALUE}).")
        int members = 50_000;

        @Option(names = "--titles", description = "Titles of the model, rank 64 (default: ${DEFAULT-VALUE}).")
        int titles = 10_000;

        @Override
        public Integer call() throws Exception {
            CommandLine cli = new CommandLine(this);
            if (events < 1 || members < 1 || titles < 1) {
                throw new CommandLine.ParameterException(cli, "--events, --members and --titles must be at least 1");
            }
            return ThroughputBenchmark.run(events, members, titles, jobJar(cli));
        }
    }
}
