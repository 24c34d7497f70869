package io.nearline.operators.als;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ImplicitAlsTest {

    @Test
    void trainedFactorsReachALowerLossThanRandomFactors() {
        Planted data = Planted.generate(200, 300, 5, 30, new Random(1));
        ImplicitAls.Settings settings = new ImplicitAls.Settings(8, 1.0, 5.0, 8, 11);
        ImplicitAls.Factors trained = ImplicitAls.train(data.train, settings);
        Random random = new Random(2);
        float[] members = new float[trained.members().length];
        float[] items = new float[trained.items().length];
        for (int i = 0; i < members.length; i++) {
            members[i] = (float) (random.nextGaussian() * 0.1);
        }
        for (int i = 0; i < items.length; i++) {
            items[i] = (float) (random.nextGaussian() * 0.1);
        }
        double trainedLoss = ImplicitAls.loss(data.train, trained, settings);
        double randomLoss = ImplicitAls.loss(data.train, new ImplicitAls.Factors(members, items, 8), settings);
        assertThat(trainedLoss).isLessThan(0.5 * randomLoss);
    }

    @Test
    void recoversAPlantedLowRankStructureWellAbovePopularity() {
        // 10 clusters of 50 items; a member has seen 29 of its cluster's, so chance within the cluster is 10/21.
        Planted data = Planted.generate(400, 500, 10, 30, new Random(5));
        ImplicitAls.Factors trained = ImplicitAls.train(data.train, new ImplicitAls.Settings(12, 1.0, 5.0, 10, 3));
        TopN topN = new TopN();
        int rank = trained.rank();
        int items = data.train.numColumns();
        ScoringLayout byDimension = ScoringLayout.of(FactorRows.vectors(trained.items(), items, rank), rank);
        int[] popularity = new int[items];
        for (int e = 0; e < data.train.size(); e++) {
            popularity[data.train.column(e)]++;
        }
        int alsHits = 0;
        int popularHits = 0;
        for (int m = 0; m < data.train.numRows(); m++) {
            Set<Integer> seen = new HashSet<>();
            for (int e = data.train.start(m); e < data.train.end(m); e++) {
                seen.add(data.train.column(e));
            }
            double[] x = new double[rank];
            for (int k = 0; k < rank; k++) {
                x[k] = trained.members()[m * rank + k];
            }
            int[] excluded = seen.stream().mapToInt(Integer::intValue).toArray();
            int n = topN.select(byDimension, x, excluded, excluded.length, 10);
            Set<Integer> top = new HashSet<>();
            for (int i = 0; i < n; i++) {
                top.add(topN.row(i));
            }
            alsHits += top.contains(data.heldOut[m]) ? 1 : 0;
            float[] popularScores = new float[items];
            for (int i = 0; i < items; i++) {
                popularScores[i] = seen.contains(i) ? Float.NEGATIVE_INFINITY : popularity[i];
            }
            int p = topN.selectBest(popularScores, items, 10);
            for (int i = 0; i < p; i++) {
                popularHits += topN.row(i) == data.heldOut[m] ? 1 : 0;
            }
        }
        double members = data.train.numRows();
        assertThat(alsHits / members).isGreaterThan(0.35).isGreaterThan(3 * popularHits / members);
    }

    /** Members in clusters, each cluster liking its own block of items; one liked item per member held out. */
    record Planted(SparseRows train, int[] heldOut) {
        static Planted generate(int members, int items, int clusters, int perMember, Random random) {
            int block = items / clusters;
            List<int[]> cells = new ArrayList<>();
            int[] heldOut = new int[members];
            for (int m = 0; m < members; m++) {
                int cluster = m % clusters;
                Set<Integer> liked = new HashSet<>();
                while (liked.size() < perMember) {
                    liked.add(cluster * block + random.nextInt(block));
                }
                List<Integer> list = new ArrayList<>(liked);
                java.util.Collections.shuffle(list, random);
                heldOut[m] = list.remove(list.size() - 1);
                for (int item : list) {
                    cells.add(new int[] {m, item});
                }
            }
            int[] rows = cells.stream().mapToInt(c -> c[0]).toArray();
            int[] columns = cells.stream().mapToInt(c -> c[1]).toArray();
            float[] weights = new float[cells.size()];
            java.util.Arrays.fill(weights, 1f);
            return new Planted(SparseRows.of(members, items, rows, columns, weights, cells.size()), heldOut);
        }
    }
}
