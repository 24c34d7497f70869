package io.nearline.operators.similars;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SimilarsVersionsTest {

    @Test
    void thePublishedVersionLeadsBackToTheAlgorithmsVersionTheTableHolds() {
        String published = SimilarsVersions.published("2-beta", "60031697f751aa00ff");
        assertThat(published).isEqualTo("2-beta-60031697f751");
        assertThat(SimilarsVersions.algorithmVersion(published)).isEqualTo("2-beta");
        assertThat(SimilarsVersions.algorithmVersion("s1")).as("a version published by hand").isEqualTo("s1");
    }
}
