package io.nearline.operators.config;

import io.nearline.operators.events.EventOptions;
import io.nearline.operators.kafka.KafkaClientProperties;
import io.nearline.operators.kafka.KafkaOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NearlineOptionsTest {

    @Test
    void argumentsBecomeTheConfiguration() {
        Configuration config = NearlineOptions.fromArgs(new String[] {
            "--nearline.kafka.events-topic", "clicks",
            "--nearline.events.dedup-window", "2 min",
            "--nearline.kafka.properties.security.protocol", "SSL",
            "--parallelism.default", "3"});

        assertThat(config.get(KafkaOptions.EVENTS_TOPIC)).isEqualTo("clicks");
        assertThat(config.get(EventOptions.DEDUP_WINDOW)).isEqualTo(Duration.ofMinutes(2));
        assertThat(KafkaClientProperties.from(config)).containsEntry("security.protocol", "SSL");
        assertThat(config.toMap()).containsEntry("parallelism.default", "3");
    }

    @Test
    void unknownNearlineOptionIsNamed() {
        assertThatThrownBy(() -> NearlineOptions.fromArgs(new String[] {"--nearline.kafka.topic", "x"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown option --nearline.kafka.topic");
    }

    @Test
    void badValueIsNamedWithTheArgument() {
        assertThatThrownBy(() -> NearlineOptions.fromArgs(new String[] {"--nearline.events.dedup-window", "soon"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("bad value for --nearline.events.dedup-window: 'soon'");
    }

    @Test
    void argumentWithoutValueIsNamed() {
        assertThatThrownBy(() -> NearlineOptions.fromArgs(new String[] {"--nearline.kafka.events-topic"}))
                .hasMessage("argument --nearline.kafka.events-topic has no value");
        assertThatThrownBy(() -> NearlineOptions.fromArgs(new String[] {"events"}))
                .hasMessageContaining("unexpected argument 'events'");
    }

    @Test
    void resultSinksCanBeListedOrLeftEmpty() {
        assertThat(NearlineOptions.fromArgs(new String[] {"--nearline.job.result-sinks", "cache"}).get(JobOptions.RESULT_SINKS))
                .containsExactly(JobOptions.ResultSink.CACHE);
        assertThat(NearlineOptions.fromArgs(new String[] {"--nearline.job.result-sinks", ""}).get(JobOptions.RESULT_SINKS))
                .isEmpty();
        assertThat(new Configuration().get(JobOptions.RESULT_SINKS))
                .containsExactly(JobOptions.ResultSink.CASSANDRA, JobOptions.ResultSink.CACHE);
    }

    @Test
    void everyOptionHasADescription() {
        assertThat(NearlineOptions.all()).isNotEmpty().allSatisfy(option -> {
            assertThat(option.key()).startsWith("nearline.");
            assertThat(new HtmlFormatter().format(option.description())).hasSizeGreaterThan(20);
        });
    }
}
