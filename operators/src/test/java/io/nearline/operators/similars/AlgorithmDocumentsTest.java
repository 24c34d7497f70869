package io.nearline.operators.similars;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlgorithmDocumentsTest {

    @Test
    void readsABaseAlgorithmFromYamlWithItsFilters() throws Exception {
        AlgorithmSpec spec = AlgorithmDocuments.parse("genre-tags.yaml", """
                name: genre-tags
                version: 3
                candidates: [genre, tag]
                weights: {genre: 1.0, tag: 2, decade: 0.5}
                filters:
                  require-shared: [maturity]
                  exclude-values: {maturity: [NC-17]}
                  min-score: 0.1
                length: 15
                """);
        assertThat(spec.name()).isEqualTo("genre-tags");
        assertThat(spec.version()).isEqualTo("3");
        assertThat(spec.candidates()).containsExactly("genre", "tag");
        assertThat(spec.weights()).isEqualTo(Map.of("genre", 1.0, "tag", 2.0, "decade", 0.5));
        assertThat(spec.filters().excludeSelf()).isTrue();
        assertThat(spec.filters().requireShared()).containsExactly("maturity");
        assertThat(spec.filters().excludeValues()).isEqualTo(Map.of("maturity", List.of("NC-17")));
        assertThat(spec.filters().minScore()).isEqualTo(0.1);
        assertThat(spec.length()).isEqualTo(15);
        assertThat(spec.isBlend()).isFalse();
    }

    @Test
    void readsABlendFromJson() throws Exception {
        AlgorithmSpec spec = AlgorithmDocuments.parse("mix.json", "{\"name\": \"mix\", \"version\": \"2\", \"blend\": {\"a\": 0.3, \"b\": 0.7}}");
        assertThat(spec.isBlend()).isTrue();
        assertThat(spec.blend()).isEqualTo(Map.of("a", 0.3, "b", 0.7));
        assertThat(spec.length()).isEqualTo(20);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{name: a, version: 1, candidates: [genre], weights: {genre: 1}, colour: red}|unknown field 'colour'",
        "{version: 1, candidates: [genre], weights: {genre: 1}}|'name' is required",
        "{name: A B, version: 1, candidates: [genre], weights: {genre: 1}}|'name' must be lower-case",
        "{name: a, candidates: [genre], weights: {genre: 1}}|'version' is required",
        "{name: a, version: 1, weights: {genre: 1}}|'candidates' must be a list",
        "{name: a, version: 1, candidates: [genre], weights: {genre: -1}}|'weights.genre' must not be negative",
        "{name: a, version: 1, candidates: [genre], weights: {genre: high}}|'weights.genre' must be a number",
        "{name: a, version: 1, candidates: [genre], weights: {genre: 0}}|'weights' needs at least one weight above 0",
        "{name: a, version: 1, candidates: [genre], weights: {genre: 1}, length: 0}|'length' must be between 1 and 500",
        "{name: a, version: 1, candidates: [genre], weights: {genre: 1}, filters: {min-scor: 1}}|unknown field 'filters.min-scor'",
        "{name: a, version: 1, candidates: [genre], weights: {genre: 1}, filters: {exclude-self: maybe}}|'filters.exclude-self' must be true or false",
        "{name: a, version: 1, blend: {b: 1}, weights: {genre: 1}}|'blend' goes without 'candidates' and 'weights'",
        "{name: a, version: 1, blend: {a: 1}}|'blend' refers to the algorithm itself",
        "[1, 2]|must be a mapping of fields",
        "{name: a, version: [1}|not YAML",
    })
    void aBadDocumentIsRefusedWithAMessageNamingTheField(String yaml, String message) {
        assertThatThrownBy(() -> AlgorithmDocuments.parse("doc.yaml", yaml))
                .isInstanceOf(InvalidAlgorithmException.class)
                .hasMessageStartingWith("doc.yaml: ")
                .hasMessageContaining(message);
    }
}
