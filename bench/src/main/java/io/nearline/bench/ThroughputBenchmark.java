package io.nearline.bench;

import io.nearline.operators.kafka.DescriptorDeserializer;
import io.nearline.operators.kafka.RawEventDeserializer;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.nearline.topology.NearlineJob;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.flink.util.Collector;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Events per second through the full NearlineJob (decoding, dead letters, classification, archive, member state,
 * trending, sinks) and through a pass-through job (Kafka to Flink to Kafka, no state), on the same generated input
 * in Kafka, on the local session cluster, one after the other in the same run. Both read the topic from the
 * start to its end (bounded sources) at parallelism 2; the figure is events over the job's net run time.
 */
final class ThroughputBenchmark {

    private ThroughputBenchmark() {}

    static int run(int events, int members, int items, String jar) throws Exception {
        LocalServices services = new LocalServices();
        services.createTopics(4, "events", "dlq", "published", "copy");
        services.createKeyspace();
        services.publishModel(items, 64);
        try {
            fill(services, events, members, items);
            Configuration config = services.jobConfig();

            // The pass-through job's own classes (Bytes, Identity) are in the bench jar, shipped beside the job jar.
            StreamExecutionEnvironment passthrough = StreamExecutionEnvironment.createRemoteEnvironment(services.host, services.flinkPort,
                    new Configuration(), jar, benchJar());
            passthrough.setParallelism(2);
            KafkaSource<byte[]> raw = KafkaSource.<byte[]>builder().setBootstrapServers(services.kafka).setTopics(services.topic("events"))
                    .setGroupId(services.run + "-passthrough").setStartingOffsets(OffsetsInitializer.earliest())
                    .setBounded(OffsetsInitializer.latest()).setDeserializer(new Bytes()).build();
            passthrough.fromSource(raw, WatermarkStrategy.noWatermarks(), "events").uid("passthrough-source")
                    .sinkTo(KafkaSink.<byte[]>builder().setBootstrapServers(services.kafka)
                            .setRecordSerializer(KafkaRecordSerializationSchema.builder().setTopic(services.topic("copy"))
                                    .setValueSerializationSchema(new Identity()).build())
                            .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE).build()).uid("passthrough-sink");
            double passRate = rate(events, passthrough.execute(services.run + "-passthrough"), "pass-through");

            StreamExecutionEnvironment nearline = StreamExecutionEnvironment.createRemoteEnvironment(services.host, services.flinkPort, config, jar);
            nearline.setParallelism(2);
            NearlineJob.configureCheckpointing(nearline, config);
            KafkaSource<io.nearline.operators.events.RawEvent> eventSource = KafkaSource.<io.nearline.operators.events.RawEvent>builder()
                    .setBootstrapServers(services.kafka).setTopics(services.topic("events")).setGroupId(services.run)
                    .setStartingOffsets(OffsetsInitializer.earliest()).setBounded(OffsetsInitializer.latest())
                    .setDeserializer(new RawEventDeserializer()).build();
            KafkaSource<io.nearline.schemas.model.ArtifactDescriptor> models = KafkaSource.<io.nearline.schemas.model.ArtifactDescriptor>builder()
                    .setBootstrapServers(services.kafka).setTopics(services.topic("published")).setGroupId(services.run + "-published")
                    .setStartingOffsets(OffsetsInitializer.earliest()).setBounded(OffsetsInitializer.latest())
                    .setDeserializer(new DescriptorDeserializer()).build();
            NearlineJob.build(nearline, config, new NearlineJob.Sources(eventSource, models), NearlineJob.productionSinks(config));
            double nearlineRate = rate(events, nearline.execute(services.run), "NearlineJob");

            System.out.println("machine: " + BenchMain.machine() + "; Kafka, Cassandra, memcached and Flink on the same cores; "
                    + events + " events (25% plays, 5% ratings and list adds, 70% impressions, browsing, scrolling) of " + members + " members");
            System.out.printf(Locale.ROOT, "throughput events_per_s nearline=%.0f passthrough=%.0f ratio=%.2f%n", nearlineRate, passRate,
                    nearlineRate / passRate);
            return 0;
        } finally {
            services.deleteTopics();
            services.dropKeyspace();
        }
    }

    private static String benchJar() throws java.io.IOException {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(System.getProperty("nearline.home", "."), "bench", "target"))) {
            return files.filter(f -> f.getFileName().toString().matches("nearline-bench-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no bench jar in bench/target: run it as bin/nearline bench throughput"))
                    .toString();
        }
    }

    private static double rate(int events, JobExecutionResult result, String name) {
        double seconds = result.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
        System.out.printf(Locale.ROOT, "%s: %d events in %.1f s%n", name, events, seconds);
        return events / seconds;
    }

    /** Writes the input: a realistic mix where most events are bulk data and a quarter are plays. */
    private static void fill(LocalServices services, int events, int members, int items) throws Exception {
        UiEventCodec codec = new UiEventCodec();
        Random random = new Random(3);
        long now = System.currentTimeMillis() - events; // one event per millisecond up to now
        EventKind[] bulk = {EventKind.IMPRESSION, EventKind.BROWSE, EventKind.SCROLL};
        try (KafkaProducer<byte[], byte[]> producer = FreshnessBenchmark.producer(services.kafka)) {
            for (int i = 0; i < events; i++) {
                String member = "member-" + random.nextInt(members);
                double kind = random.nextDouble();
                EventKind eventKind = kind < 0.25 ? (random.nextBoolean() ? EventKind.PLAY_COMPLETED : EventKind.PLAY_STARTED)
                        : kind < 0.30 ? (random.nextBoolean() ? EventKind.RATING : EventKind.LIST_ADD) : bulk[random.nextInt(bulk.length)];
                UiEvent event = UiEvents.event("t-" + i, member, Instant.ofEpochMilli(now + i),
                        UiEvents.payload(eventKind, LocalServices.title(random.nextInt(items))));
                producer.send(new ProducerRecord<>(services.topic("events"), member.getBytes(StandardCharsets.UTF_8), codec.encode(event)));
            }
        }
        System.out.printf("throughput: %d events written to %s%n", events, services.topic("events"));
    }

    /** Bytes written as they are. */
    static final class Identity implements SerializationSchema<byte[]> {
        @Override
        public byte[] serialize(byte[] element) {
            return element;
        }
    }

    /** The record's value as it is. */
    static final class Bytes implements KafkaRecordDeserializationSchema<byte[]> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<byte[]> out) {
            out.collect(record.value());
        }

        @Override
        public org.apache.flink.api.common.typeinfo.TypeInformation<byte[]> getProducedType() {
            return org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;
        }
    }
}
