package io.nearline.topology.check;

import io.nearline.operators.OperatorUids;
import io.nearline.operators.config.CheckOptions;
import io.nearline.operators.config.JobOptions;
import io.nearline.operators.kafka.KafkaClientProperties;
import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.topology.NearlineJob;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * A test build of {@link NearlineJob}: the same job, plus a {@link SequenceCheck} on the de-duplicated events
 * whose alerts go to {@link CheckOptions#ALERTS_TOPIC}. It ships in the job jar as a second entry class, for
 * the reliability tests and {@code bin/nearline soak}; zero alerts is the pass.
 */
public final class CheckedNearlineJob {

    private CheckedNearlineJob() {}

    /** Builds the checked job into the environment. */
    public static void build(StreamExecutionEnvironment env, ReadableConfig config, NearlineJob.Sources sources, NearlineJob.Sinks sinks) {
        KafkaSink<String> alerts = KafkaSink.<String>builder()
                .setBootstrapServers(config.get(KafkaOptions.BOOTSTRAP_SERVERS))
                .setKafkaProducerConfig(KafkaClientProperties.from(config))
                .setRecordSerializer(KafkaRecordSerializationSchema.builder().setTopic(config.get(CheckOptions.ALERTS_TOPIC))
                        .setValueSerializationSchema(new SimpleStringSchema()).build())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
        NearlineJob.build(env, config, sources, sinks, unique -> unique
                .keyBy(new NearlineJob.MemberKey())
                .process(new SequenceCheck())
                .uid(OperatorUids.SEQUENCE_CHECK)
                .name("sequence check")
                .sinkTo(alerts)
                .uid(OperatorUids.SEQUENCE_CHECK_ALERTS)
                .name("sequence alerts"));
    }

    public static void main(String[] args) throws Exception {
        Configuration config = NearlineJob.configuration(args);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setMaxParallelism(config.get(JobOptions.MAX_PARALLELISM));
        NearlineJob.configureCheckpointing(env, config);
        build(env, config, NearlineJob.productionSources(config), NearlineJob.productionSinks(config));
        env.execute(config.get(JobOptions.JOB_NAME) + "-checked");
    }
}
