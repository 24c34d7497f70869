package io.nearline.operators.similars;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A similars algorithm as data: either a base algorithm (how candidates are found, a weight per facet and for
 * co-watch, summed into the score) or a blend (a weighted sum of other algorithms' scores), then the filters
 * and the length of the list. Parsed and checked by {@link AlgorithmDocuments}.
 *
 * @param candidates facets whose shared values make two titles candidates; {@link #CO_WATCH} for titles
 *                   watched by the same members. Empty for a blend.
 * @param weights    per facet (and {@link #CO_WATCH}): the weight of that facet's similarity in the score
 * @param blend      per input algorithm: the weight of its score; empty for a base algorithm
 */
public record AlgorithmSpec(String name, String version, List<String> candidates, Map<String, Double> weights,
        Map<String, Double> blend, Filters filters, int length) implements Serializable {

    /** The pseudo-facet of co-watching: members who watched one title also watched the other. */
    public static final String CO_WATCH = "co-watch";

    public AlgorithmSpec {
        candidates = List.copyOf(candidates);
        weights = Map.copyOf(weights);
        blend = Map.copyOf(blend);
    }

    public boolean isBlend() {
        return !blend.isEmpty();
    }

    /** Whether co-watch data is an input (as candidates or with a weight). */
    public boolean usesCoWatch() {
        return candidates.contains(CO_WATCH) || weights.getOrDefault(CO_WATCH, 0.0) != 0;
    }

    /** Everything that decides the result, in a fixed order: two specs with equal canonical forms build equal lists. */
    public String canonical() {
        return "name=" + name + ";version=" + version + ";candidates=" + candidates.stream().sorted().toList()
                + ";weights=" + new TreeMap<>(weights) + ";blend=" + new TreeMap<>(blend) + ";filters=" + filters.canonical()
                + ";length=" + length;
    }

    /**
     * Which candidates are kept.
     *
     * @param excludeSelf   leave the title itself out
     * @param requireShared facets a candidate must share at least one value of with the title (audience,
     *                      maturity, availability by region)
     * @param excludeValues per facet, values that rule a candidate out (say maturity NC-17)
     * @param minScore      the lowest score kept
     */
    public record Filters(boolean excludeSelf, List<String> requireShared, Map<String, List<String>> excludeValues,
            double minScore) implements Serializable {

        public Filters {
            requireShared = List.copyOf(requireShared);
            excludeValues = Map.copyOf(excludeValues);
        }

        public static Filters defaults() {
            return new Filters(true, List.of(), Map.of(), 0);
        }

        String canonical() {
            TreeMap<String, List<String>> excluded = new TreeMap<>();
            excludeValues.forEach((facet, values) -> excluded.put(facet, values.stream().sorted().toList()));
            return "excludeSelf=" + excludeSelf + ",requireShared=" + requireShared.stream().sorted().toList()
                    + ",excludeValues=" + excluded + ",minScore=" + minScore;
        }
    }
}
