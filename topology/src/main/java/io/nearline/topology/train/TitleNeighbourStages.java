package io.nearline.topology.train;

import io.nearline.operators.neighbours.NeighbourTraining;
import io.nearline.topology.train.Records.MemberRow;
import io.nearline.topology.train.Records.Result;
import io.nearline.topology.train.Records.TitlePair;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * TrainJob's neighbour table, as {@link NeighbourTraining} computes it in one process, in three keyed stages: the
 * pairs of titles near each other in members' sequences, summed per pair; each pair joined with how many members
 * watched its neighbour; then per title the cosines and the best few. Batch mode: each keyed function emits when
 * its key's input is complete (the timer at the end of time).
 */
final class TitleNeighbourStages {

    private TitleNeighbourStages() {}

    /**
     * @param watched per title, how many members watched it (positively): {@link Result#POPULARITY} records
     * @return one {@link Result#NEIGHBOURS} per title with neighbours
     */
    static DataStream<Result> build(DataStream<MemberRow> members, DataStream<Result> watched, NeighbourTraining.Settings settings) {
        DataStream<TitlePair> sums = members
                .flatMap((MemberRow row, Collector<TitlePair> out) -> pairs(row, settings, out))
                .returns(TypeInformation.of(TitlePair.class))
                .name("neighbour pairs")
                .keyBy(pair -> pair.a + '\n' + pair.b)
                .reduce((x, y) -> new TitlePair(x.a, x.b, x.sum + y.sum))
                .name("neighbour pair sums");
        DataStream<TitlePair> withCounts = sums.keyBy(pair -> pair.b)
                .connect(watched.keyBy(r -> r.id))
                .process(new WithNeighbourCount())
                .returns(TypeInformation.of(TitlePair.class))
                .name("neighbour counts");
        return withCounts.keyBy(pair -> pair.a)
                .connect(watched.keyBy(r -> r.id))
                .process(new NearestTitles(settings.neighbours()))
                .returns(TypeInformation.of(Result.class))
                .name("nearest titles");
    }

    /** The member's positive titles in time order, each with those within reach. */
    private static void pairs(MemberRow row, NeighbourTraining.Settings settings, Collector<TitlePair> out) {
        List<String> sequence = new ArrayList<>(row.titles.length);
        for (int i = 0; i < row.titles.length; i++) {
            if (row.weights[i] > 0) {
                sequence.add(row.titles[i]);
            }
        }
        int reach = NeighbourTraining.reach(settings);
        for (int p = 0; p < sequence.size(); p++) {
            for (int q = Math.max(0, p - reach); q <= Math.min(sequence.size() - 1, p + reach); q++) {
                float add = NeighbourTraining.pairWeight(settings, q - p);
                if (add > 0 && !sequence.get(p).equals(sequence.get(q))) {
                    out.collect(new TitlePair(sequence.get(p), sequence.get(q), add));
                }
            }
        }
    }

    /**
     * Keyed by a title: buffers the title's pairs and how many members watched it, and hands both on once the key's
     * input is complete (batch mode: the timer at the end of time).
     */
    abstract static class PairsOfTitle<O> extends KeyedCoProcessFunction<String, TitlePair, Result, O> {
        private static final long serialVersionUID = 1L;
        private transient ListState<TitlePair> pairs;
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext openContext) {
            pairs = getRuntimeContext().getListState(new ListStateDescriptor<>("pairs", TypeInformation.of(TitlePair.class)));
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("watched", Types.LONG));
        }

        @Override
        public void processElement1(TitlePair pair, Context ctx, Collector<O> out) throws Exception {
            pairs.add(pair);
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }

        @Override
        public void processElement2(Result watched, Context ctx, Collector<O> out) throws Exception {
            count.update(watched.count);
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<O> out) throws Exception {
            Long watched = count.value();
            List<TitlePair> all = new ArrayList<>();
            Iterable<TitlePair> stored = pairs.get();
            if (stored != null) {
                stored.forEach(all::add);
            }
            pairs.clear();
            count.clear();
            if (watched != null && watched > 0 && !all.isEmpty()) {
                emit(ctx.getCurrentKey(), watched, all, out);
            }
        }

        /** The key's pairs, with how many members watched the key's title (at least one). */
        abstract void emit(String title, long watched, List<TitlePair> pairs, Collector<O> out);
    }

    /** Keyed by the neighbour b: its pairs, each given how many members watched b. */
    static final class WithNeighbourCount extends PairsOfTitle<TitlePair> {
        private static final long serialVersionUID = 1L;

        @Override
        void emit(String title, long watched, List<TitlePair> pairs, Collector<TitlePair> out) {
            for (TitlePair pair : pairs) {
                pair.watchedB = watched;
                out.collect(pair);
            }
        }
    }

    /** Keyed by the title a: the cosine of each neighbour, the best {@code k} kept. */
    static final class NearestTitles extends PairsOfTitle<Result> {
        private static final long serialVersionUID = 1L;
        private final int k;

        NearestTitles(int k) {
            this.k = k;
        }

        @Override
        void emit(String title, long watched, List<TitlePair> pairs, Collector<Result> out) {
            for (TitlePair pair : pairs) {
                pair.sum = NeighbourTraining.cosine(pair.sum, watched, pair.watchedB);
            }
            pairs.sort(Comparator.comparingDouble((TitlePair p) -> -p.sum).thenComparing(p -> p.b));
            List<TitlePair> best = pairs.subList(0, Math.min(k, pairs.size()));
            Result result = new Result();
            result.kind = Result.NEIGHBOURS;
            result.id = title;
            result.titles = new String[best.size()];
            result.weights = new float[best.size()];
            for (int i = 0; i < best.size(); i++) {
                result.titles[i] = best.get(i).b;
                result.weights[i] = best.get(i).sum;
            }
            out.collect(result);
        }
    }
}
