package io.nearline.topology;

import io.nearline.operators.config.JobOptions;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CheckpointDefaultsTest {

    private static StreamExecutionEnvironment configured(Configuration config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        NearlineJob.configureCheckpointing(env, config);
        return env;
    }

    @Test
    void byDefaultTheJobCheckpointsUnalignedWithTimersOnTheHeapAndReusesObjects() {
        StreamExecutionEnvironment env = configured(new Configuration());

        assertThat(env.getConfig().isObjectReuseEnabled()).isTrue();
        assertThat(env.getCheckpointConfig().isUnalignedCheckpointsEnabled()).isTrue();
        assertThat(env.getConfiguration().get(NearlineJob.TIMER_SERVICE_FACTORY)).isEqualTo("HEAP");
        assertThat(env.getCheckpointInterval()).isEqualTo(10_000);
    }

    @Test
    void flinksOwnSettingsWinOverTheJobsDefaults() {
        Configuration config = new Configuration();
        config.set(CheckpointingOptions.ENABLE_UNALIGNED, false);
        config.set(NearlineJob.TIMER_SERVICE_FACTORY, "ROCKSDB");
        config.set(org.apache.flink.configuration.PipelineOptions.OBJECT_REUSE, false);
        StreamExecutionEnvironment env = configured(config);

        assertThat(env.getConfig().isObjectReuseEnabled()).isFalse();
        assertThat(env.getCheckpointConfig().isUnalignedCheckpointsEnabled()).isFalse();
        assertThat(env.getConfiguration().get(NearlineJob.TIMER_SERVICE_FACTORY)).isEqualTo("ROCKSDB");
    }

    @Test
    void theJobsOwnOptionsTurnTheDefaultsOff() {
        Configuration config = new Configuration();
        config.set(JobOptions.UNALIGNED_CHECKPOINTS, false);
        config.set(JobOptions.HEAP_TIMERS, false);
        config.set(JobOptions.OBJECT_REUSE, false);
        StreamExecutionEnvironment env = configured(config);

        assertThat(env.getConfig().isObjectReuseEnabled()).isFalse();
        assertThat(env.getCheckpointConfig().isUnalignedCheckpointsEnabled()).isFalse();
        assertThat(env.getConfiguration().getOptional(NearlineJob.TIMER_SERVICE_FACTORY)).isEmpty();
    }
}
