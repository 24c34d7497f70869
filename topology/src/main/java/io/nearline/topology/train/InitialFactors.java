package io.nearline.topology.train;

import io.nearline.topology.train.Records.Cell;
import io.nearline.topology.train.Records.Factor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Keyed by title: one small random factor per title, derived from the seed and the title, so any parallelism agrees. */
public class InitialFactors extends KeyedProcessFunction<String, Cell, Factor> {

    private static final long serialVersionUID = 1L;

    private final int rank;
    private final long seed;

    public InitialFactors(int rank, long seed) {
        this.rank = rank;
        this.seed = seed;
    }

    @Override
    public void processElement(Cell cell, Context ctx, Collector<Factor> out) {
        ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Factor> out) {
        out.collect(new Factor(ctx.getCurrentKey(), initial(ctx.getCurrentKey(), rank, seed)));
    }

    static float[] initial(String id, int rank, long seed) {
        long hash = seed;
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            hash = hash * 31 + b;
        }
        SplittableRandom random = new SplittableRandom(hash);
        float[] vector = new float[rank];
        for (int k = 0; k < rank; k++) {
            vector[k] = (float) ((random.nextDouble() - 0.5) * 0.02);
        }
        return vector;
    }
}
