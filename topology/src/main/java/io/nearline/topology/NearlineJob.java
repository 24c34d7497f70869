package io.nearline.topology;

import io.nearline.operators.OperatorUids;
import io.nearline.operators.archive.EventArchive;
import io.nearline.operators.config.JobOptions;
import io.nearline.operators.config.NearlineOptions;
import io.nearline.operators.events.ClassifyEvents;
import io.nearline.operators.events.DeadLetter;
import io.nearline.operators.events.DecodeEvents;
import io.nearline.operators.events.DeduplicateEvents;
import io.nearline.operators.events.EventOptions;
import io.nearline.operators.events.EventWatermarks;
import io.nearline.operators.events.RawEvent;
import io.nearline.operators.kafka.DeadLetterSerializer;
import io.nearline.operators.kafka.KafkaClientProperties;
import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.operators.kafka.RawEventDeserializer;
import io.nearline.schemas.event.UiEvent;
import io.nearline.operators.cache.MemcachedSink;
import io.nearline.operators.cache.RecommendationRowEntries;
import io.nearline.operators.cache.TrendingRowEntries;
import io.nearline.operators.cassandra.CassandraSink;
import io.nearline.operators.cassandra.MemberFactorMapper;
import io.nearline.operators.cassandra.RecommendationRowMapper;
import io.nearline.operators.cassandra.TrendingRowMapper;
import io.nearline.operators.kafka.DescriptorDeserializer;
import io.nearline.operators.members.BroadcastInput;
import io.nearline.operators.members.MemberRecommender;
import io.nearline.operators.members.MemberOptions;
import io.nearline.operators.members.StartedTitles;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.trending.Trending;
import io.nearline.operators.trending.TrendingOptions;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.result.MemberFactor;
import io.nearline.schemas.result.RecommendationRow;
import io.nearline.schemas.result.TrendingRow;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamUtils;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.time.Duration;
import java.util.List;

/**
 * The nearline job graph. Raw UI events are decoded (bad records to the dead-letter sink), given event
 * time, de-duplicated per member, archived, and classified: time-sensitive events continue to member
 * state, bulk data only goes to the archive. Member state folds each member's factor in against the
 * published model (descriptors broadcast from the {@code published} topic) and writes the member's rows
 * to Cassandra and the cache, and the factor to Cassandra. Trending Now counts plays per region (and overall) in
 * event-time panes, ranks them per sliding window and writes each region's most played titles to Cassandra and the cache.
 * {@link #build} takes its sources and sinks, so tests wire their own; {@link #main} wires Kafka and the file system.
 */
public final class NearlineJob {

    /** Where the job reads from: UI events, and descriptors of published models. */
    public record Sources(Source<RawEvent, ?, ?> events, Source<ArtifactDescriptor, ?, ?> models) {}

    /**
     * Where the job writes to; a null result sink means that store is not written. Trending rows are computed
     * whenever nearline.trending.enabled is on (they are also member state's fallback), written where given.
     */
    public record Sinks(Sink<DeadLetter> deadLetters, Sink<UiEvent> archive, Sink<RecommendationRow> rowsToCassandra,
            Sink<RecommendationRow> rowsToCache, Sink<MemberFactor> factorsToCassandra,
            Sink<TrendingRow> trendingToCassandra, Sink<TrendingRow> trendingToCache) {}

    private NearlineJob() {}

    /** Builds the graph; returns the member rows it computes. */
    public static DataStream<RecommendationRow> build(StreamExecutionEnvironment env, ReadableConfig config, Sources sources, Sinks sinks) {
        return build(env, config, sources, sinks, unique -> { });
    }

    /**
     * {@link #build}, with {@code tap} given the de-duplicated events (what member state and trending consume) to
     * attach operators to: the self-checking test build uses it ({@code check.CheckedNearlineJob}).
     */
    public static DataStream<RecommendationRow> build(StreamExecutionEnvironment env, ReadableConfig config, Sources sources, Sinks sinks,
            java.util.function.Consumer<DataStream<UiEvent>> tap) {
        DataStream<RawEvent> raw = env.fromSource(sources.events(), WatermarkStrategy.noWatermarks(), "ui-events")
                .uid(OperatorUids.EVENTS_SOURCE);

        SingleOutputStreamOperator<UiEvent> decoded = raw
                .process(new DecodeEvents(config.get(EventOptions.MAX_FUTURE_SKEW)))
                .uid(OperatorUids.DECODE)
                .name("decode");
        decoded.getSideOutput(DecodeEvents.DEAD_LETTERS)
                .sinkTo(sinks.deadLetters())
                .uid(OperatorUids.DEAD_LETTER_SINK)
                .name("dead letters");

        SingleOutputStreamOperator<UiEvent> unique = decoded
                .assignTimestampsAndWatermarks(EventWatermarks.strategy(config))
                .uid(OperatorUids.EVENT_TIME)
                .name("event time")
                .keyBy(new MemberKey())
                .process(new DeduplicateEvents(config.get(EventOptions.DEDUP_WINDOW)))
                .uid(OperatorUids.DEDUPLICATE)
                .name("deduplicate");

        unique.sinkTo(sinks.archive()).uid(OperatorUids.ARCHIVE_SINK).name("archive");
        tap.accept(unique);

        DataStream<TrendingRow> trending = null;
        if (config.get(TrendingOptions.ENABLED)) {
            // From the de-duplicated events, so a client's retried send is not counted twice; event time and
            // watermarks were assigned above. Keyed anew by region and title: its own shuffle, off member state.
            trending = Trending.rows(unique, TrendingOptions.settings(config));
            if (sinks.trendingToCassandra() != null) {
                trending.sinkTo(sinks.trendingToCassandra()).uid(OperatorUids.TRENDING_CASSANDRA_SINK).name("trending to Cassandra");
            }
            if (sinks.trendingToCache() != null) {
                trending.sinkTo(sinks.trendingToCache()).uid(OperatorUids.TRENDING_CACHE_SINK).name("trending to cache");
            }
        }

        DataStream<UiEvent> timeSensitive = unique
                .process(new ClassifyEvents(EventOptions.timeSensitiveKinds(config)))
                .uid(OperatorUids.CLASSIFY)
                .name("classify");

        // Descriptors only: each task loads the artifacts itself (see MemberRecommender). Trending rows join
        // them, as the fallback for members with too little history: a few titles per region and slide.
        DataStream<BroadcastInput> broadcastInputs = env
                .fromSource(sources.models(), WatermarkStrategy.noWatermarks(), "published")
                .uid(OperatorUids.MODELS_SOURCE)
                .setParallelism(1)
                .map(BroadcastInput::of)
                .uid(OperatorUids.DESCRIPTORS)
                .name("descriptors")
                // Chained to the single source: every member-state subtask sees publications in one order.
                .setParallelism(1);
        if (trending != null) {
            broadcastInputs = broadcastInputs.union(trending.map(BroadcastInput::of).uid(OperatorUids.TRENDING_FALLBACK).name("trending fallback"));
        }
        BroadcastStream<BroadcastInput> models = broadcastInputs
                .broadcast(BroadcastInput.states().toArray(new MapStateDescriptor<?, ?>[0]));

        // Still partitioned by member since the de-duplication's keyBy: no second shuffle.
        SingleOutputStreamOperator<RecommendationRow> rows = DataStreamUtils
                .reinterpretAsKeyedStream(timeSensitive, new MemberKey())
                .connect(models)
                .process(new MemberRecommender(config))
                .uid(OperatorUids.MEMBER_STATE)
                .name("member state");

        if (sinks.rowsToCassandra() != null) {
            rows.sinkTo(sinks.rowsToCassandra()).uid(OperatorUids.ROWS_CASSANDRA_SINK).name("rows to Cassandra");
        }
        if (sinks.rowsToCache() != null) {
            // Chained to member state: rows reach the cache without a network hop or a serialization.
            rows.sinkTo(sinks.rowsToCache()).uid(OperatorUids.ROWS_CACHE_SINK).name("rows to cache");
            Duration watchingWindow = config.get(MemberOptions.WATCHING_WINDOW);
            if (!watchingWindow.isZero() && !watchingWindow.isNegative()) {
                // Live context for the online service: what each member started watching lately, cache only.
                DataStreamUtils.reinterpretAsKeyedStream(timeSensitive, new MemberKey())
                        .process(new StartedTitles(watchingWindow))
                        .uid(OperatorUids.STARTED_TITLES)
                        .name("started titles")
                        .sinkTo(sinks.rowsToCache()).uid(OperatorUids.WATCHING_CACHE_SINK).name("watching to cache");
            }
        }
        if (sinks.factorsToCassandra() != null) {
            rows.getSideOutput(MemberRecommender.FACTORS)
                    .sinkTo(sinks.factorsToCassandra()).uid(OperatorUids.FACTORS_CASSANDRA_SINK).name("factors to Cassandra");
        }
        return rows;
    }

    public static Sources productionSources(ReadableConfig config) {
        KafkaSource<RawEvent> events = KafkaSource.<RawEvent>builder()
                .setBootstrapServers(config.get(KafkaOptions.BOOTSTRAP_SERVERS))
                .setTopics(config.get(KafkaOptions.EVENTS_TOPIC))
                .setGroupId(config.get(KafkaOptions.GROUP_ID))
                .setStartingOffsets(OffsetsInitializer.committedOffsets(config.get(KafkaOptions.START_FROM_EARLIEST)
                        ? OffsetResetStrategy.EARLIEST : OffsetResetStrategy.LATEST))
                .setProperties(KafkaClientProperties.from(config))
                .setDeserializer(new RawEventDeserializer())
                .build();
        KafkaSource<ArtifactDescriptor> models = KafkaSource.<ArtifactDescriptor>builder()
                .setBootstrapServers(config.get(KafkaOptions.BOOTSTRAP_SERVERS))
                .setTopics(config.get(ModelOptions.PUBLISHED_TOPIC))
                .setGroupId(config.get(KafkaOptions.GROUP_ID) + "-published")
                // A fresh start reads every descriptor ever published; a restore continues from its checkpoint.
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperties(KafkaClientProperties.from(config))
                .setDeserializer(new DescriptorDeserializer())
                .build();
        return new Sources(events, models);
    }

    public static Sinks productionSinks(ReadableConfig config) {
        KafkaSink<DeadLetter> deadLetters = KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(config.get(KafkaOptions.BOOTSTRAP_SERVERS))
                .setKafkaProducerConfig(KafkaClientProperties.from(config))
                .setRecordSerializer(new DeadLetterSerializer(config.get(KafkaOptions.DEAD_LETTER_TOPIC)))
                .setDeliveryGuarantee(config.get(KafkaOptions.DEAD_LETTER_DELIVERY))
                .setTransactionalIdPrefix(config.get(JobOptions.JOB_NAME) + "-dead-letters")
                .build();
        List<JobOptions.ResultSink> results = config.get(JobOptions.RESULT_SINKS);
        boolean cassandra = results.contains(JobOptions.ResultSink.CASSANDRA);
        boolean cache = results.contains(JobOptions.ResultSink.CACHE);
        boolean trending = config.get(TrendingOptions.ENABLED);
        return new Sinks(deadLetters, EventArchive.sink(config),
                cassandra ? CassandraSink.of(new RecommendationRowMapper(), config) : null,
                cache ? MemcachedSink.of(new RecommendationRowEntries(), config) : null,
                cassandra ? CassandraSink.of(new MemberFactorMapper(), config) : null,
                trending && cassandra ? CassandraSink.of(new TrendingRowMapper(), config) : null,
                trending && cache ? MemcachedSink.of(new TrendingRowEntries(), config) : null);
    }

    /** Checkpoints at the configured interval unless Flink's own interval setting is given. */
    public static void configureCheckpointing(StreamExecutionEnvironment env, ReadableConfig config) {
        if (config.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isEmpty()) {
            env.enableCheckpointing(config.get(JobOptions.CHECKPOINT_INTERVAL).toMillis());
        }
        if (config.getOptional(ExecutionOptions.BUFFER_TIMEOUT).isEmpty()) {
            env.setBufferTimeout(config.get(JobOptions.BUFFER_TIMEOUT).toMillis());
        }
        // Flink's own settings win, from the job's configuration or the cluster's.
        Configuration defaults = new Configuration();
        if (unset(env, config, CheckpointingOptions.ENABLE_UNALIGNED)) {
            defaults.set(CheckpointingOptions.ENABLE_UNALIGNED, config.get(JobOptions.UNALIGNED_CHECKPOINTS));
        }
        if (unset(env, config, PipelineOptions.OBJECT_REUSE)) {
            defaults.set(PipelineOptions.OBJECT_REUSE, config.get(JobOptions.OBJECT_REUSE));
        }
        if (unset(env, config, TIMER_SERVICE_FACTORY) && config.get(JobOptions.HEAP_TIMERS)) {
            defaults.set(TIMER_SERVICE_FACTORY, "HEAP");
        }
        env.configure(defaults);
    }

    /** Flink's state.backend.rocksdb.timer-service.factory (by key: RocksDB is the cluster's, not the job jar's). */
    static final ConfigOption<String> TIMER_SERVICE_FACTORY =
            ConfigOptions.key("state.backend.rocksdb.timer-service.factory").stringType().noDefaultValue();

    private static boolean unset(StreamExecutionEnvironment env, ReadableConfig config, ConfigOption<?> option) {
        return config.getOptional(option).isEmpty() && env.getConfiguration().getOptional(option).isEmpty();
    }

    /**
     * The job's configuration from its arguments, checked: every setting, and (unless turned off) the connections
     * to Kafka and Cassandra. Fails with a one-line message starting "nearline: ".
     */
    public static Configuration configuration(String[] args) {
        return configuration(new Configuration(), args);
    }

    /**
     * As {@link #configuration(String[])}, with the {@code nearline.*} settings of the cluster's configuration
     * under the arguments (an argument overrides the cluster's value): on Kubernetes the overlays set options in
     * {@code flinkConfiguration}.
     */
    public static Configuration configuration(ReadableConfig cluster, String[] args) {
        try {
            Configuration config = NearlineOptions.fromClusterAndArgs(cluster, args);
            EventOptions.timeSensitiveKinds(config);
            TrendingOptions.settings(config);
            ConnectionCheck.run(config);
            return config;
        } catch (IllegalArgumentException e) {
            // No System.exit: on a session cluster main() runs inside the JobManager. The one-line message
            // reaches the submitter in the REST answer.
            throw new IllegalArgumentException("nearline: " + e.getMessage(), e);
        }
    }

    /** The arguments as settings, unchecked: only Flink's own take effect on the environment. */
    private static Configuration arguments(String[] args) {
        try {
            return NearlineOptions.parseArgs(args);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("nearline: " + e.getMessage(), e);
        }
    }

    public static void main(String[] args) throws Exception {
        // The environment's configuration is the cluster's with the arguments' Flink settings on top; the job's
        // options are then read from both.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(arguments(args));
        Configuration config = configuration(env.getConfiguration(), args);
        env.setMaxParallelism(config.get(JobOptions.MAX_PARALLELISM));
        configureCheckpointing(env, config);
        build(env, config, productionSources(config), productionSinks(config));
        env.execute(config.get(JobOptions.JOB_NAME));
    }

    /** Keys events by member. */
    public static final class MemberKey implements KeySelector<UiEvent, String> {
        @Override
        public String getKey(UiEvent event) {
            return event.getMemberId();
        }
    }
}
