package io.nearline.operators.similars;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses similars algorithm documents (YAML or JSON) into {@link AlgorithmSpec}s. Every field is checked and
 * a bad document is refused with a message naming the document and the field; unknown fields are refused too,
 * so a typo never silently changes an algorithm. A base algorithm:
 * <pre>
 * name: genre-and-tags
 * version: 3
 * candidates: [genre, tag]        # facets whose shared values make candidates; co-watch too
 * weights: {genre: 1.0, tag: 2.0, decade: 0.5}
 * filters:
 *   exclude-self: true            # the default
 *   require-shared: [maturity]    # same audience, same region...
 *   exclude-values: {maturity: [NC-17]}
 *   min-score: 0.1
 * length: 20
 * </pre>
 * A blend has {@code blend: {genre-and-tags: 0.4, co-watched: 0.6}} instead of candidates and weights.
 */
public final class AlgorithmDocuments {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Set<String> FIELDS = Set.of("name", "version", "description", "candidates", "weights", "blend", "filters", "length");
    private static final Set<String> FILTER_FIELDS = Set.of("exclude-self", "require-shared", "exclude-values", "min-score");
    public static final int MAX_LENGTH = 500;

    private AlgorithmDocuments() {}

    /** Parses one document; {@code source} names it in messages (a file name), and ending in .json picks JSON. */
    public static AlgorithmSpec parse(String source, String text) throws InvalidAlgorithmException {
        ObjectMapper mapper = source.endsWith(".json") ? new ObjectMapper() : new ObjectMapper(new YAMLFactory());
        Object tree;
        try {
            tree = mapper.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            // Parser messages span lines (a snippet and a caret): one line, like every other refusal.
            throw new InvalidAlgorithmException(source + ": not " + (source.endsWith(".json") ? "JSON" : "YAML") + ": "
                    + String.valueOf(e.getOriginalMessage()).replaceAll("\\s*\\R\\s*", " ").strip());
        }
        if (!(tree instanceof Map<?, ?> doc)) {
            throw new InvalidAlgorithmException(source + ": the document must be a mapping of fields");
        }
        for (Object field : doc.keySet()) {
            if (!FIELDS.contains(String.valueOf(field))) {
                throw new InvalidAlgorithmException(source + ": unknown field '" + field + "' (known: " + sorted(FIELDS) + ")");
            }
        }
        String name = text(source, doc, "name");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidAlgorithmException(source + ": 'name' must be lower-case letters, digits, '.', '_' or '-', not '" + name + "'");
        }
        String version = text(source, doc, "version");
        int length = doc.containsKey("length") ? integer(source, doc.get("length"), "length") : 20;
        if (length < 1 || length > MAX_LENGTH) {
            throw new InvalidAlgorithmException(source + ": 'length' must be between 1 and " + MAX_LENGTH + ", not " + length);
        }
        AlgorithmSpec.Filters filters = filters(source, doc.get("filters"));
        boolean blend = doc.containsKey("blend");
        if (blend && (doc.containsKey("candidates") || doc.containsKey("weights"))) {
            throw new InvalidAlgorithmException(source + ": 'blend' goes without 'candidates' and 'weights'");
        }
        if (blend) {
            Map<String, Double> inputs = weights(source, doc.get("blend"), "blend");
            if (inputs.containsKey(name)) {
                throw new InvalidAlgorithmException(source + ": 'blend' refers to the algorithm itself");
            }
            return new AlgorithmSpec(name, version, List.of(), Map.of(), inputs, filters, length);
        }
        List<String> candidates = strings(source, doc.get("candidates"), "candidates");
        if (candidates.isEmpty()) {
            throw new InvalidAlgorithmException(source + ": 'candidates' must name at least one facet (or co-watch)");
        }
        Map<String, Double> weights = weights(source, doc.get("weights"), "weights");
        return new AlgorithmSpec(name, version, candidates, weights, Map.of(), filters, length);
    }

    private static AlgorithmSpec.Filters filters(String source, Object value) throws InvalidAlgorithmException {
        if (value == null) {
            return AlgorithmSpec.Filters.defaults();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidAlgorithmException(source + ": 'filters' must be a mapping");
        }
        for (Object field : map.keySet()) {
            if (!FILTER_FIELDS.contains(String.valueOf(field))) {
                throw new InvalidAlgorithmException(source + ": unknown field 'filters." + field + "' (known: " + sorted(FILTER_FIELDS) + ")");
            }
        }
        boolean excludeSelf = true;
        if (map.containsKey("exclude-self")) {
            if (!(map.get("exclude-self") instanceof Boolean b)) {
                throw new InvalidAlgorithmException(source + ": 'filters.exclude-self' must be true or false");
            }
            excludeSelf = b;
        }
        List<String> requireShared = map.containsKey("require-shared")
                ? strings(source, map.get("require-shared"), "filters.require-shared") : List.of();
        Map<String, List<String>> excludeValues = new LinkedHashMap<>();
        if (map.containsKey("exclude-values")) {
            if (!(map.get("exclude-values") instanceof Map<?, ?> excluded)) {
                throw new InvalidAlgorithmException(source + ": 'filters.exclude-values' must map facets to lists of values");
            }
            for (Map.Entry<?, ?> entry : excluded.entrySet()) {
                excludeValues.put(String.valueOf(entry.getKey()),
                        strings(source, entry.getValue(), "filters.exclude-values." + entry.getKey()));
            }
        }
        double minScore = map.containsKey("min-score") ? number(source, map.get("min-score"), "filters.min-score") : 0;
        if (minScore < 0) {
            throw new InvalidAlgorithmException(source + ": 'filters.min-score' must not be negative");
        }
        return new AlgorithmSpec.Filters(excludeSelf, requireShared, excludeValues, minScore);
    }

    private static String text(String source, Map<?, ?> doc, String field) throws InvalidAlgorithmException {
        Object value = doc.get(field);
        if (value == null || value instanceof Map || value instanceof List || String.valueOf(value).isBlank()) {
            throw new InvalidAlgorithmException(source + ": '" + field + "' is required and must be a single value");
        }
        return String.valueOf(value).trim();
    }

    private static List<String> strings(String source, Object value, String field) throws InvalidAlgorithmException {
        if (!(value instanceof List<?> list)) {
            throw new InvalidAlgorithmException(source + ": '" + field + "' must be a list");
        }
        List<String> strings = new ArrayList<>();
        for (Object item : list) {
            if (item == null || item instanceof Map || item instanceof List || String.valueOf(item).isBlank()) {
                throw new InvalidAlgorithmException(source + ": '" + field + "' must list plain names");
            }
            strings.add(String.valueOf(item).trim());
        }
        return strings;
    }

    private static Map<String, Double> weights(String source, Object value, String field) throws InvalidAlgorithmException {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new InvalidAlgorithmException(source + ": '" + field + "' must map names to weights");
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        boolean positive = false;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            double weight = number(source, entry.getValue(), field + "." + entry.getKey());
            if (weight < 0) {
                throw new InvalidAlgorithmException(source + ": '" + field + "." + entry.getKey() + "' must not be negative");
            }
            positive |= weight > 0;
            weights.put(String.valueOf(entry.getKey()), weight);
        }
        if (!positive) {
            throw new InvalidAlgorithmException(source + ": '" + field + "' needs at least one weight above 0");
        }
        return weights;
    }

    private static double number(String source, Object value, String field) throws InvalidAlgorithmException {
        if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
            throw new InvalidAlgorithmException(source + ": '" + field + "' must be a number, not '" + value + "'");
        }
        return number.doubleValue();
    }

    private static int integer(String source, Object value, String field) throws InvalidAlgorithmException {
        if (!(value instanceof Integer || value instanceof Long)) {
            throw new InvalidAlgorithmException(source + ": '" + field + "' must be a whole number, not '" + value + "'");
        }
        return ((Number) value).intValue();
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
