package io.nearline.topology.cli;

/** The configuration {@code bin/nearline eval} starts from; docs/evaluation.md says why. */
final class EvalDefaults {

    static final int RANK = 32;
    static final int ITERATIONS = 15;
    static final double LAMBDA = 10;
    static final double ALPHA = 1;

    private EvalDefaults() {}
}
