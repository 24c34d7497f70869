package io.nearline.topology.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterCommandTest {

    @Test
    void aRefusedSubmissionIsExplainedByTheJobsOwnLine() {
        String answer = "{\"errors\":[\"org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute "
                + "application.\\n\\tat ...\\nCaused by: java.lang.IllegalArgumentException: nearline: "
                + "nearline.members.row-length must be at least 1, not 0\\n\\tat io.nearline...\"]}";
        assertThat(ClusterCommand.reason(answer)).isEqualTo("nearline.members.row-length must be at least 1, not 0");
    }

    @Test
    void withoutTheJobsLineTheLastCauseExplainsIt() {
        String answer = "{\"errors\":[\"x\\nCaused by: java.io.IOException: first\\nCaused by: java.lang.ClassNotFoundException: "
                + "io.example.Job\\n\\tat ...\"]}";
        assertThat(ClusterCommand.reason(answer)).isEqualTo("java.lang.ClassNotFoundException: io.example.Job");
    }

    @Test
    void durationsAreWrittenAsInFlinksOptions() {
        org.assertj.core.api.Assertions.assertThat(new DurationConverter().convert("120s")).isEqualTo(java.time.Duration.ofSeconds(120));
        org.assertj.core.api.Assertions.assertThat(new DurationConverter().convert("2 min")).isEqualTo(java.time.Duration.ofMinutes(2));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new DurationConverter().convert("soon"))
                .hasMessageContaining("'soon' is not a duration");
    }
}
