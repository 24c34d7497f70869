package io.nearline.topology.train;

import io.nearline.operators.config.TrainOptions;
import io.nearline.operators.members.MemberHistory;
import io.nearline.operators.members.MemberOptions;
import io.nearline.operators.members.WeightOptions;
import io.nearline.topology.train.Records.Cell;
import io.nearline.topology.train.Records.Factor;
import io.nearline.topology.train.Records.Block;
import io.nearline.topology.train.Records.MemberRow;
import io.nearline.operators.neighbours.NeighbourOptions;
import io.nearline.operators.neighbours.NeighbourTraining;
import org.apache.flink.util.Collector;
import io.nearline.operators.offline.Rated;
import io.nearline.topology.train.Records.Result;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Offline training of the implicit-ALS model on Flink in batch execution mode. Interactions (from the
 * archive that NearlineJob writes, or a MovieLens ratings file: {@link io.nearline.operators.offline.OfflineInteractions}) are weighted and compacted per member
 * exactly as in nearline state; then a fixed number of alternating iterations, unrolled into one job
 * graph (see {@link #iterate}); every row is solved with the shared {@code ImplicitSolver}. The job returns the title factors, the
 * popularity counts, the training time range and the held-out members; {@link ModelTrainer} turns them
 * into an evaluated artifact.
 */
public final class TrainJob {

    private TrainJob() {}

    /** The job graph from weighted interactions to its results. */
    public static DataStream<Result> build(StreamExecutionEnvironment env, ReadableConfig config, DataStream<Rated> rated) {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        int rank = config.get(TrainOptions.RANK);
        double lambda = config.get(TrainOptions.LAMBDA);
        double alpha = config.get(TrainOptions.ALPHA);
        MemberHistory history = new MemberHistory(config.get(MemberOptions.MAX_TITLES), config.get(WeightOptions.HALF_LIFE).toMillis());

        SingleOutputStreamOperator<MemberRow> memberRows = rated
                .keyBy(r -> r.member)
                .process(new CompactMembers(history, config.get(TrainOptions.HOLDOUT_FRACTION)))
                .name("compact members");
        DataStream<Result> holdouts = memberRows.getSideOutput(CompactMembers.HOLDOUT);
        DataStream<Cell> cells = memberRows
                .flatMap((MemberRow row, Collector<Cell> out) -> {
                    for (int i = 0; i < row.titles.length; i++) {
                        out.collect(new Cell(row.member, row.titles[i], row.weights[i]));
                    }
                }).returns(TypeInformation.of(Cell.class))
                .name("cells");

        DataStream<Factor> items = cells
                .keyBy(c -> c.title)
                .process(new InitialFactors(rank, config.get(TrainOptions.SEED)))
                .name("initial title factors");
        // The solving stages get a fixed parallelism: the member half addresses the title half's partitions.
        int parallelism = config.getOptional(TrainOptions.PARALLELISM).orElse(Math.max(1, env.getParallelism()));
        for (int iteration = 1; iteration <= config.get(TrainOptions.ITERATIONS); iteration++) {
            items = iterate(memberRows, items, rank, lambda, alpha, parallelism, "iteration " + iteration);
        }

        DataStream<Result> itemResults = items.map(Result::item).returns(TypeInformation.of(Result.class)).name("title factors");
        DataStream<Result> popularity = cells
                .map(c -> Result.popularity(c.title, c.weight > 0 ? 1 : 0)).returns(TypeInformation.of(Result.class))
                .keyBy(r -> r.id)
                .reduce((a, b) -> Result.popularity(a.id, a.count + b.count))
                .name("popularity");
        DataStream<Result> range = memberRows.getSideOutput(CompactMembers.RANGE)
                .keyBy(r -> r.id)
                .reduce((a, b) -> {
                    a.times = new long[] {Math.min(a.times[0], b.times[0]), Math.max(a.times[1], b.times[1])};
                    return a;
                })
                .name("time range");
        NeighbourTraining.Settings neighbourSettings = NeighbourOptions.settings(config);
        if (neighbourSettings.none()) {
            return itemResults.union(popularity, range, holdouts);
        }
        DataStream<Result> neighbours = TitleNeighbourStages.build(memberRows, popularity, neighbourSettings);
        return itemResults.union(popularity, range, holdouts, neighbours);
    }

    /**
     * One alternating iteration in two stages: members solved against the broadcast title factors, sending each
     * factor once per title partition it touches plus the partial Gram sums; then each title partition solved.
     */
    private static DataStream<Factor> iterate(DataStream<MemberRow> memberRows, DataStream<Factor> titles, int rank,
            double lambda, double alpha, int parallelism, String name) {
        DataStream<Block> blocks = titles.broadcast()
                .connect(memberRows)
                .transform(name + ": members", TypeInformation.of(Block.class),
                        new SolveMembers(rank, lambda, alpha, parallelism))
                .setParallelism(parallelism);
        return blocks
                .partitionCustom((Integer partition, int partitions) -> partition % partitions, b -> b.partition)
                .fullWindowPartition()
                .mapPartition(new SolveTitles(rank, lambda, alpha))
                .name(name + ": titles")
                .setParallelism(parallelism);
    }
}
