package io.nearline.operators.als;

import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the kernels a recompute uses on a small synthetic model until the JIT has compiled them, once per class loader
 * (each Flink job has its own), on the thread that loads a model: never on a task thread.
 *
 * <p>Until the JIT compiles them, Vector API kernels run their interpreted fallbacks, some hundred times slower
 * than compiled. A job started cold took its first recomputes at that speed while the JIT competed with the tasks
 * for the cores, and fell far behind ({@code docs/architecture.md}). Here the kernels run in rounds until a round
 * takes a tenth of the first (the JIT's optimising compiler has replaced the interpreted code) or
 * {@value #MAX_MILLIS} ms pass.
 *
 * <p>Two families, warmed apart: the fold-in's and the candidates' dot products, which every recompute uses; and the
 * scan of the whole catalog ({@link TopN}), which only models without a neighbour table use (retrieval scores the
 * candidates alone). The scan is the costly one to warm: on a TaskManager whose cores the job already kept busy it
 * ran to the time limit in the fallbacks at every job start, for a kernel the job then never called.
 */
public final class KernelWarmUp {

    private static final AtomicBoolean RECOMPUTE_WARM = new AtomicBoolean();
    private static final AtomicBoolean SCAN_WARM = new AtomicBoolean();
    private static final int ITEMS = 2 * TopN.BLOCK;
    private static final int INTERACTIONS = 64;
    private static final int CANDIDATES = 512;
    private static final int CALLS_PER_ROUND = 50;
    private static final long MAX_MILLIS = 5_000;

    private KernelWarmUp() {}

    /**
     * Warms the kernels a recompute uses at this rank, the first time only: the fold-in and the candidates' dot
     * products, and the catalog scan if {@code scansCatalog} (a model without a neighbour table).
     */
    public static void warm(int rank, boolean scansCatalog) {
        boolean recompute = RECOMPUTE_WARM.compareAndSet(false, true);
        boolean scan = scansCatalog && SCAN_WARM.compareAndSet(false, true);
        if (!recompute && !scan) {
            return;
        }
        Random random = new Random(1);
        float[][] rows = new float[ITEMS][rank];
        for (float[] row : rows) {
            for (int k = 0; k < rank; k++) {
                row[k] = (float) random.nextGaussian();
            }
        }
        double[] gram = Gram.gram(rows, rank);
        ImplicitSolver solver = new ImplicitSolver(rank, 1, ImplicitSolver.Method.CONJUGATE_GRADIENT, rank, 1e-3);
        int[] interacted = random.ints(0, ITEMS).distinct().limit(INTERACTIONS).toArray();
        float[] strengths = new float[INTERACTIONS];
        boolean[] positive = new boolean[INTERACTIONS];
        for (int n = 0; n < INTERACTIONS; n++) {
            strengths[n] = 1 + random.nextFloat();
            positive[n] = n % 8 != 0;
        }
        double[] x = new double[rank];
        if (recompute) {
            int[] candidates = random.ints(0, ITEMS).limit(CANDIDATES).toArray();
            float[] xf = new float[rank];
            float[] dots = new float[CANDIDATES];
            int[] call = {0};
            untilCompiled(() -> {
                // Counts of every remainder by four: the kernels take four rows at a time, and a tail the warm-up
                // never ran is compiled as a trap that sends the first member with that remainder back to the
                // interpreter (seen at 50 plays/s: candidate scoring in the fallbacks for seconds).
                int tail = call[0]++ % 4;
                java.util.Arrays.fill(x, 0);
                solver.solve(gram, rows, interacted, strengths, positive, INTERACTIONS - tail, x);
                for (int k = 0; k < rank; k++) {
                    xf[k] = (float) x[k];
                }
                CandidateScores.dots(rows, candidates, CANDIDATES - tail, xf, dots);
            });
        }
        if (scan) {
            ScoringLayout layout = ScoringLayout.of(rows, rank);
            TopN topN = new TopN();
            java.util.Arrays.fill(x, 0);
            solver.solve(gram, rows, interacted, strengths, positive, INTERACTIONS, x);
            untilCompiled(() -> topN.select(layout, x, interacted, INTERACTIONS, 25));
        }
    }

    private static void untilCompiled(Runnable call) {
        long start = System.nanoTime();
        long deadline = start + MAX_MILLIS * 1_000_000;
        long first = 0;
        while (System.nanoTime() < deadline) {
            long roundStart = System.nanoTime();
            // The deadline is checked per call: a round in the fallbacks on busy cores took seconds on its own.
            for (int i = 0; i < CALLS_PER_ROUND && System.nanoTime() < deadline; i++) {
                call.run();
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
