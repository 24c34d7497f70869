package io.nearline.topology.train;

import io.nearline.operators.als.ImplicitAls;
import io.nearline.operators.als.FactorRows;
import io.nearline.operators.als.ImplicitSolver;
import io.nearline.operators.als.SparseRows;
import io.nearline.operators.config.TrainOptions;
import io.nearline.operators.members.WeightOptions;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.neighbours.NeighbourOptions;
import io.nearline.operators.neighbours.NeighbourTraining;
import io.nearline.operators.neighbours.TitleNeighbours;
import io.nearline.operators.offline.OfflineInteractions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class TrainJobTest {

    @TempDir
    Path dir;

    private ModelTrainer.Outcome train(Path ratings, Configuration config) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, config);
        return ModelTrainer.train(env, config, OfflineInteractions.ratings(env, config, ratings.toUri().toString()), false);
    }

    @Test
    void trainedFactorsReachALowerImplicitAlsLossThanRandomFactors() throws Exception {
        Path ratings = PlantedRatings.write(dir, 120, 4, 30, 15, 1);
        Configuration config = new Configuration();
        config.set(TrainOptions.RANK, 8);
        config.set(TrainOptions.ITERATIONS, 5);
        config.set(TrainOptions.LAMBDA, 1.0);
        config.set(TrainOptions.HOLDOUT_FRACTION, 0.0);
        config.set(WeightOptions.HALF_LIFE, Duration.ZERO);
        ModelArtifact model = train(ratings, config).model();

        // The cells TrainJob trained on: every rating, weighted 0.4 per star (no decay, no hold-out).
        Map<String, Integer> members = new HashMap<>();
        List<int[]> cells = new ArrayList<>();
        List<Float> weights = new ArrayList<>();
        for (String line : Files.readAllLines(ratings)) {
            String[] f = line.split("\t");
            int member = members.computeIfAbsent(f[0], m -> members.size());
            cells.add(new int[] {member, model.row(f[1])});
            weights.add((float) (0.4 * Double.parseDouble(f[2])));
        }
        SparseRows byMember = SparseRows.of(members.size(), model.numItems(), cells.stream().mapToInt(c -> c[0]).toArray(),
                cells.stream().mapToInt(c -> c[1]).toArray(), toArray(weights), cells.size());
        ImplicitAls.Settings settings = new ImplicitAls.Settings(8, 1.0, 1.0, 1, 0);

        double trained = lossWithBestMembers(byMember, model.vectors(), settings);
        float[][] random = new float[model.numItems()][8];
        Random r = new Random(3);
        for (float[] v : random) {
            for (int k = 0; k < 8; k++) {
                v[k] = (float) (r.nextGaussian() * 0.1);
            }
        }
        double baseline = lossWithBestMembers(byMember, random, settings);
        assertThat(trained).isLessThan(0.7 * baseline);
    }

    @Test
    void recoversAPlantedLowRankStructureWellAbovePopularity() throws Exception {
        Path ratings = PlantedRatings.write(dir, 400, 8, 25, 15, 2);
        Configuration config = new Configuration();
        config.set(TrainOptions.RANK, 12);
        config.set(TrainOptions.ITERATIONS, 6);
        config.set(TrainOptions.HOLDOUT_FRACTION, 0.5);
        ModelTrainer.Outcome outcome = train(ratings, config);

        assertThat(outcome.evaluated()).isGreaterThan(100);
        assertThat(outcome.model().numItems()).isEqualTo(200);
        assertThat(outcome.model().metadata().getEvaluation()).containsKey("hr10");
        // Within a member's group, 10 of the 11 titles not yet rated make the top 10 by chance alone at best
        // 10/11; across the catalog popularity has no notion of groups.
        assertThat(outcome.hr10()).isGreaterThan(0.5).isGreaterThan(3 * outcome.popularityHr10());
    }

    @Test
    void theModelDoesNotDependOnTheParallelismOfTheSolvingStages() throws Exception {
        Path ratings = PlantedRatings.write(dir, 150, 4, 30, 15, 3);
        Map<Integer, ModelArtifact> models = new HashMap<>();
        for (int parallelism : new int[] {1, 3}) {
            Configuration config = new Configuration();
            config.set(TrainOptions.RANK, 8);
            config.set(TrainOptions.ITERATIONS, 4);
            config.set(TrainOptions.HOLDOUT_FRACTION, 0.0);
            config.set(TrainOptions.PARALLELISM, parallelism);
            models.put(parallelism, train(ratings, config).model());
        }
        ModelArtifact one = models.get(1);
        ModelArtifact three = models.get(3);
        assertThat(three.numItems()).isEqualTo(one.numItems()).isEqualTo(120);
        // Every title solved from all of its members in both: only the order of the Gram sums differs.
        for (int row = 0; row < one.numItems(); row++) {
            float[] expected = one.vectors()[row];
            float[] actual = three.vectors()[three.row(one.itemId(row))];
            for (int k = 0; k < 8; k++) {
                assertThat(actual[k]).isCloseTo(expected[k], offset(1e-3f));
            }
        }
    }

    @Test
    void neighbourTableIsTheOneTheSameSequencesGiveInOneProcess() throws Exception {
        Path ratings = PlantedRatings.write(dir, 150, 4, 30, 15, 5);
        Configuration config = new Configuration();
        config.set(TrainOptions.RANK, 4);
        config.set(TrainOptions.ITERATIONS, 1);
        config.set(TrainOptions.HOLDOUT_FRACTION, 0.0);
        config.set(NeighbourOptions.NEIGHBOURS, 10);
        ModelArtifact model = train(ratings, config).model();

        // Each member's titles in time order, as model rows: what NeighbourTraining reads in one process.
        Map<String, List<String[]>> byMember = new HashMap<>();
        for (String line : Files.readAllLines(ratings)) {
            String[] f = line.split("\t");
            byMember.computeIfAbsent(f[0], m -> new ArrayList<>()).add(f);
        }
        List<int[]> sequences = new ArrayList<>();
        for (List<String[]> rated : byMember.values()) {
            rated.sort(java.util.Comparator.<String[]>comparingLong(f -> Long.parseLong(f[3])).thenComparing(f -> f[1]));
            sequences.add(rated.stream().mapToInt(f -> model.row(f[1])).toArray());
        }
        TitleNeighbours expected = NeighbourTraining.train(model.numItems(), sequences, NeighbourOptions.settings(config));

        assertThat(model.neighbours().size()).isEqualTo(expected.size()).isGreaterThan(model.numItems());
        for (int row = 0; row < model.numItems(); row++) {
            assertThat(model.neighbours().rowsOf(row)).as("neighbours of %s", model.itemId(row)).containsExactly(expected.rowsOf(row));
            float[] scores = model.neighbours().scoresOf(row);
            for (int n = 0; n < scores.length; n++) {
                assertThat(scores[n]).isCloseTo(expected.scoresOf(row)[n], offset(1e-5f));
            }
        }
    }

    /** The implicit-ALS loss with each member's factor solved exactly against the given title factors. */
    private static double lossWithBestMembers(SparseRows byMember, float[][] items, ImplicitAls.Settings settings) {
        float[][] members = new float[byMember.numRows()][settings.rank()];
        ImplicitAls.solveAll(byMember, items, members, settings);
        return ImplicitAls.loss(byMember, new ImplicitAls.Factors(FactorRows.flatten(members, settings.rank()),
                FactorRows.flatten(items, settings.rank()), settings.rank()), settings);
    }

    private static float[] toArray(List<Float> list) {
        float[] array = new float[list.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = list.get(i);
        }
        return array;
    }
}
