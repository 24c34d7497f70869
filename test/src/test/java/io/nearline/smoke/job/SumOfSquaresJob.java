package io.nearline.smoke.job;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * A small job for the session-cluster smoke test: squares 1..N in parallel and adds the squares
 * into the accumulator {@value #ACCUMULATOR}, which the test reads back over REST.
 */
public final class SumOfSquaresJob {

    public static final String ACCUMULATOR = "sum-of-squares";

    private SumOfSquaresJob() {}

    public static void main(String[] args) throws Exception {
        long n = Long.parseLong(args[0]);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.fromSequence(1, n)
                .map(new Square())
                .name("square")
                .sinkTo(new DiscardingSink<>())
                .name("discard");
        env.execute("sum of squares 1.." + n);
    }

    static final class Square extends RichMapFunction<Long, Long> {
        private final LongCounter sum = new LongCounter();

        @Override
        public void open(OpenContext openContext) {
            getRuntimeContext().addAccumulator(ACCUMULATOR, sum);
        }

        @Override
        public Long map(Long value) {
            long square = value * value;
            sum.add(square);
            return square;
        }
    }
}
