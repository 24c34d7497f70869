package io.nearline.operators.similars;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The algorithms of one build in dependency order: every blend after the algorithms it blends. Made before
 * anything runs, it refuses duplicate names, references to unknown algorithms, cycles (naming the loop) and
 * facets that no title of the catalog has.
 */
public final class BuildPlan implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<AlgorithmSpec> ordered;

    private BuildPlan(List<AlgorithmSpec> ordered) {
        this.ordered = List.copyOf(ordered);
    }

    public static BuildPlan of(List<AlgorithmSpec> specs, Catalog catalog) throws InvalidAlgorithmException {
        if (specs.isEmpty()) {
            throw new InvalidAlgorithmException("no algorithm documents to build");
        }
        // Sorted by name: the order among independent algorithms is the same in every build.
        TreeMap<String, AlgorithmSpec> byName = new TreeMap<>();
        for (AlgorithmSpec spec : specs) {
            if (byName.put(spec.name(), spec) != null) {
                throw new InvalidAlgorithmException("algorithm '" + spec.name() + "' is defined twice");
            }
        }
        for (AlgorithmSpec spec : byName.values()) {
            for (String input : spec.blend().keySet()) {
                if (!byName.containsKey(input)) {
                    throw new InvalidAlgorithmException("algorithm '" + spec.name() + "': 'blend' refers to unknown algorithm '"
                            + input + "' (known: " + byName.keySet() + ")");
                }
            }
            checkFacets(spec, catalog);
        }
        List<AlgorithmSpec> ordered = new ArrayList<>();
        Map<String, Boolean> done = new HashMap<>();
        for (String name : byName.keySet()) {
            visit(name, byName, done, new LinkedHashSet<>(), ordered);
        }
        return new BuildPlan(ordered);
    }

    private static void visit(String name, Map<String, AlgorithmSpec> byName, Map<String, Boolean> done,
            LinkedHashSet<String> path, List<AlgorithmSpec> ordered) throws InvalidAlgorithmException {
        if (done.containsKey(name)) {
            return;
        }
        if (!path.add(name)) {
            List<String> loop = new ArrayList<>(path);
            loop = new ArrayList<>(loop.subList(loop.indexOf(name), loop.size()));
            loop.add(name);
            throw new InvalidAlgorithmException("algorithms blend each other in a cycle: " + String.join(" -> ", loop));
        }
        for (String input : new TreeMap<>(byName.get(name).blend()).keySet()) {
            visit(input, byName, done, path, ordered);
        }
        path.remove(name);
        done.put(name, true);
        ordered.add(byName.get(name));
    }

    private static void checkFacets(AlgorithmSpec spec, Catalog catalog) throws InvalidAlgorithmException {
        List<String> used = new ArrayList<>(spec.candidates());
        used.addAll(spec.weights().keySet());
        used.addAll(spec.filters().requireShared());
        used.addAll(spec.filters().excludeValues().keySet());
        for (String facet : used) {
            if (!facet.equals(AlgorithmSpec.CO_WATCH) && catalog.facet(facet) < 0) {
                throw new InvalidAlgorithmException("algorithm '" + spec.name() + "': facet '" + facet
                        + "' is in no title of the catalog (facets: " + catalog.facets() + ")");
            }
        }
    }

    /** Every algorithm, each after its inputs. */
    public List<AlgorithmSpec> ordered() {
        return ordered;
    }

    public boolean usesCoWatch() {
        return ordered.stream().anyMatch(AlgorithmSpec::usesCoWatch);
    }

    public AlgorithmSpec get(String name) {
        return ordered.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }
}
