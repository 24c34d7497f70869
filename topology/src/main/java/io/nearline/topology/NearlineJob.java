package io.nearline.topology;

import io.nearline.operators.archive.EventArchive;
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
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The nearline job graph. Raw UI events are decoded (bad records to the dead-letter sink), given event
 * time, de-duplicated per member, archived, and classified: time-sensitive events continue to member
 * state, bulk data only goes to the archive. {@link #build} takes its sources and sinks, so tests wire
 * their own; {@link #main} wires Kafka and the file system.
 */
public final class NearlineJob {

    public static final String SOURCE_UID = "ui-events-source";
    public static final String DECODE_UID = "decode-events";
    public static final String DEAD_LETTER_SINK_UID = "dead-letter-sink";
    public static final String EVENT_TIME_UID = "event-time";
    public static final String ARCHIVE_SINK_UID = "archive-sink";
    public static final String CLASSIFY_UID = "classify-events";

    /** Where the job reads from. */
    public record Sources(Source<RawEvent, ?, ?> events) {}

    /** Where the job writes to. */
    public record Sinks(Sink<DeadLetter> deadLetters, Sink<UiEvent> archive) {}

    private NearlineJob() {}

    /** Builds the graph; returns the time-sensitive events, keyed by member, for the stages that follow. */
    public static DataStream<UiEvent> build(StreamExecutionEnvironment env, ReadableConfig config, Sources sources, Sinks sinks) {
        DataStream<RawEvent> raw = env.fromSource(sources.events(), WatermarkStrategy.noWatermarks(), "ui-events")
                .uid(SOURCE_UID);

        SingleOutputStreamOperator<UiEvent> decoded = raw
                .process(new DecodeEvents(config.get(EventOptions.MAX_FUTURE_SKEW)))
                .uid(DECODE_UID)
                .name("decode");
        decoded.getSideOutput(DecodeEvents.DEAD_LETTERS)
                .sinkTo(sinks.deadLetters())
                .uid(DEAD_LETTER_SINK_UID)
                .name("dead letters");

        SingleOutputStreamOperator<UiEvent> unique = decoded
                .assignTimestampsAndWatermarks(EventWatermarks.strategy(config))
                .uid(EVENT_TIME_UID)
                .name("event time")
                .keyBy(new MemberKey())
                .process(new DeduplicateEvents(config.get(EventOptions.DEDUP_WINDOW)))
                .uid(DeduplicateEvents.UID)
                .name("deduplicate");

        unique.sinkTo(sinks.archive()).uid(ARCHIVE_SINK_UID).name("archive");

        return unique
                .process(new ClassifyEvents(EventOptions.timeSensitiveKinds(config)))
                .uid(CLASSIFY_UID)
                .name("classify");
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
        return new Sources(events);
    }

    public static Sinks productionSinks(ReadableConfig config) {
        KafkaSink<DeadLetter> deadLetters = KafkaSink.<DeadLetter>builder()
                .setBootstrapServers(config.get(KafkaOptions.BOOTSTRAP_SERVERS))
                .setKafkaProducerConfig(KafkaClientProperties.from(config))
                .setRecordSerializer(new DeadLetterSerializer(config.get(KafkaOptions.DEAD_LETTER_TOPIC)))
                .setDeliveryGuarantee(config.get(KafkaOptions.DEAD_LETTER_DELIVERY))
                .setTransactionalIdPrefix(config.get(JobOptions.JOB_NAME) + "-dead-letters")
                .build();
        return new Sinks(deadLetters, EventArchive.sink(config));
    }

    /** Checkpoints at the configured interval unless Flink's own interval setting is given. */
    public static void configureCheckpointing(StreamExecutionEnvironment env, ReadableConfig config) {
        if (config.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isEmpty()) {
            env.enableCheckpointing(config.get(JobOptions.CHECKPOINT_INTERVAL).toMillis());
        }
    }

    public static void main(String[] args) throws Exception {
        Configuration config;
        try {
            config = NearlineOptions.fromArgs(args);
            EventOptions.timeSensitiveKinds(config);
        } catch (IllegalArgumentException e) {
            // No System.exit: on a session cluster main() runs inside the JobManager. The one-line message
            // reaches the submitter in the REST answer.
            throw new IllegalArgumentException("nearline: " + e.getMessage(), e);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
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
