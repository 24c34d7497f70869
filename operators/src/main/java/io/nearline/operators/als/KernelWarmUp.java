package io.nearline.operators.als;

import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the scoring and fold-in kernels on a small synthetic model until the JIT has compiled them, once per
 * class loader (each Flink job has its own), on the thread that loads a model: never on a task thread.
 *
 * <p>Until the JIT compiles them, Vector API kernels run their interpreted fallbacks, about a hundred times
 * slower than compiled (2 ms for a recompute that then takes 20 us). A job started cold took its first
 * recomputes at that speed while the JIT competed with the tasks for the cores, and fell tens of seconds
 * behind. Here the kernels run in rounds until a round takes a tenth of the first (the JIT's optimising
 * compiler has replaced the interpreted code; half a second on an idle machine) or {@value #MAX_MILLIS} ms pass.
 */
public final class KernelWarmUp {

    private static final AtomicBoolean WARM = new AtomicBoolean();
    private static final int ITEMS = 2 * TopN.BLOCK;
    private static final int INTERACTIONS = 64;
    private static final int CALLS_PER_ROUND = 50;
    private static final long MAX_MILLIS = 5_000;

    private KernelWarmUp() {}

    /** Warms the kernels this JVM uses (see {@link ScoringLayout#of}) at this rank, the first time only. */
    public static void warm(int rank) {
        if (!WARM.compareAndSet(false, true)) {
            return;
        }
        Random random = new Random(1);
        float[][] rows = new float[ITEMS][rank];
        for (float[] row : rows) {
            for (int k = 0; k < rank; k++) {
                row[k] = (float) random.nextGaussian();
            }
        }
        ScoringLayout layout = ScoringLayout.of(rows, rank);
        double[] gram = ImplicitSolver.gram(rows, rank);
        ImplicitSolver solver = new ImplicitSolver(rank, 1, ImplicitSolver.Method.CONJUGATE_GRADIENT, rank, 1e-3);
        int[] interacted = random.ints(0, ITEMS).distinct().limit(INTERACTIONS).toArray();
        float[] strengths = new float[INTERACTIONS];
        boolean[] positive = new boolean[INTERACTIONS];
        for (int n = 0; n < INTERACTIONS; n++) {
            strengths[n] = 1 + random.nextFloat();
            positive[n] = n % 8 != 0;
        }
        TopN topN = new TopN();
        double[] x = new double[rank];
        long start = System.nanoTime();
        long first = 0;
        while (System.nanoTime() - start < MAX_MILLIS * 1_000_000) {
            long roundStart = System.nanoTime();
            for (int call = 0; call < CALLS_PER_ROUND; call++) {
                java.util.Arrays.fill(x, 0);
                solver.solve(gram, rows, interacted, strengths, positive, INTERACTIONS, x);
                topN.select(layout, x, interacted, INTERACTIONS, 25);
            }
            long round = System.nanoTime() - roundStart;
            if (first == 0) {
                first = round;
            } else if (round < first / 10) {
                return;
            }
        }
    }
}
