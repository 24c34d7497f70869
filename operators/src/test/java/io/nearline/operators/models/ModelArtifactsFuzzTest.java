package io.nearline.operators.models;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any bytes, even with a matching checksum (a broken trainer's output), are either refused with a
 * {@link BadArtifactException} or load whole: every announced item, one factor vector of the model's rank each, all
 * finite, no title twice. Seeds: small valid artifacts (ModelArtifactsFuzzTestInputs).
 */
class ModelArtifactsFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyArtifactIsRefusedOrLoadedWhole(byte[] bytes) {
        ModelArtifact model;
        try {
            model = ModelArtifacts.read(bytes, bytes.length, ModelArtifacts.sha256(bytes), 0);
        } catch (BadArtifactException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(model.rank()).isPositive();
        assertThat(model.numItems()).isEqualTo(model.metadata().getNumItems());
        assertThat(model.factors()).hasSize(model.numItems() * model.rank());
        assertThat(model.gram()).hasSize(model.rank() * model.rank());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < model.numItems(); i++) {
            assertThat(ids.add(model.itemId(i))).as("title %s once", model.itemId(i)).isTrue();
            assertThat(model.row(model.itemId(i))).isEqualTo(i);
        }
        for (float value : model.factors()) {
            assertThat(Float.isFinite(value)).as("finite factors").isTrue();
        }
        for (double value : model.gram()) {
            assertThat(Double.isFinite(value)).as("finite Gram matrix").isTrue();
        }
    }
}
