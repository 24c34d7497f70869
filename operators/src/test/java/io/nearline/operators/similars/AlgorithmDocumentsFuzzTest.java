package io.nearline.operators.similars;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any document text is either refused with a message naming the document and what is wrong, or parses to an
 * algorithm whose fields hold their documented bounds. Seeds: the examples/similars documents.
 */
class AlgorithmDocumentsFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void anyDocumentIsRefusedWithItsReasonOrParsesWithinBounds(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (String source : new String[] {"fuzz.yaml", "fuzz.json"}) {
            AlgorithmSpec spec;
            try {
                spec = AlgorithmDocuments.parse(source, text);
            } catch (InvalidAlgorithmException refused) {
                assertThat(refused.getMessage()).startsWith(source + ": ").doesNotContain("\n");
                continue;
            }
            assertThat(spec.name()).matches("[a-z0-9][a-z0-9._-]{0,63}");
            assertThat(spec.length()).isBetween(1, AlgorithmDocuments.MAX_LENGTH);
            assertThat(spec.version()).isNotNull();
        }
    }
}
