package io.nearline.topology.cli;

import java.util.Map;

/** The configuration {@code bin/nearline eval} starts from; docs/evaluation.md says why. */
final class EvalDefaults {

    static final int RANK = 32;
    static final int ITERATIONS = 15;
    static final double LAMBDA = 10;
    static final double ALPHA = 1;
    /** Job options the evaluation sets unless given. */
    static final Map<String, String> SETTINGS = Map.of();

    private EvalDefaults() {}
}
