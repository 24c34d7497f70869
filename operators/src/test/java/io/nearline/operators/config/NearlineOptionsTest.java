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
    void memberOptionsOutOfRangeAreRefusedWithTheirName() {
        String[][] refused = {
            {"--nearline.members.cg-iterations", "0", "nearline.members.cg-iterations must be at least 1, not 0"},
            {"--nearline.members.row-length", "-3", "nearline.members.row-length must be at least 1, not -3"},
            {"--nearline.members.alpha", "-1", "nearline.members.alpha must be a finite number of at least 0, not -1.0"},
            {"--nearline.members.cg-tolerance", "1.5", "nearline.members.cg-tolerance must be between 0 and 1, not 1.5"},
            {"--nearline.members.state-ttl", "0 s", "nearline.members.state-ttl must be longer than 0, not PT0S"},
            {"--nearline.models.rank", "-1", "nearline.models.rank must be at least 0, not -1"},
            {"--nearline.weights.play-completed", "NaN", "nearline.weights.play-completed must be a finite number, not NaN"},
            {"--nearline.ranker.recency-decay", "2", "nearline.ranker.recency-decay must be between 0 and 1, not 2.0"},
        };
        for (String[] bad : refused) {
            assertThatThrownBy(() -> NearlineOptions.fromArgs(new String[] {bad[0], bad[1]}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(bad[2]);
        }
        assertThat(NearlineOptions.fromArgs(new String[] {"--nearline.members.cg-iterations", "1"}).toMap())
                .containsEntry("nearline.members.cg-iterations", "1");
    }

    @Test
    void theClustersNearlineSettingsApplyAndAnArgumentOverridesThem() {
        Configuration cluster = new Configuration();
        cluster.setString("nearline.kafka.events-topic", "clicks");
        cluster.setString("nearline.events.dedup-window", "2 min");
        cluster.setString("taskmanager.numberOfTaskSlots", "4");

        Configuration config = NearlineOptions.fromClusterAndArgs(cluster,
                new String[] {"--nearline.events.dedup-window", "5 min"});

        assertThat(config.get(KafkaOptions.EVENTS_TOPIC)).isEqualTo("clicks");
        assertThat(config.get(EventOptions.DEDUP_WINDOW)).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.toMap()).doesNotContainKey("taskmanager.numberOfTaskSlots");
        cluster.setString("nearline.members.row-length", "0");
        assertThatThrownBy(() -> NearlineOptions.fromClusterAndArgs(cluster, new String[0]))
                .hasMessage("nearline.members.row-length must be at least 1, not 0");
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
