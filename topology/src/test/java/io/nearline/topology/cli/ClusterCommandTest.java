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
}
