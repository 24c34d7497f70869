package io.nearline.operators.als;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TopNTest {

    /** Both layouts: float columns (plain Java), bfloat16 columns with exact rescoring (Vector API). */
    enum Layout {
        FLOATS, BFLOAT16;

        ScoringLayout of(float[] rowMajor, int items, int rank) {
            float[][] rows = FactorRows.vectors(rowMajor, items, rank);
            return this == FLOATS ? ScoringLayout.floats(rows, rank) : ScoringLayout.bfloat16(rows, rank);
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void selectsTheHighestScoringItemsInOrderLeavingOutExcludedOnes(Layout kind) {
        Random random = new Random(3);
        int items = 5000;
        int rank = 16;
        float[] rowMajor = new float[items * rank];
        for (int i = 0; i < rowMajor.length; i++) {
            rowMajor[i] = (float) random.nextGaussian();
        }
        // 5000 items: several blocks of the scoring layout, the last one shorter.
        ScoringLayout byDimension = kind.of(rowMajor, items, rank);
        double[] member = random.doubles(rank).toArray();
        double[] exact = new double[items];
        for (int i = 0; i < items; i++) {
            for (int k = 0; k < rank; k++) {
                exact[i] += member[k] * rowMajor[i * rank + k];
            }
        }
        List<Integer> byScore = IntStream.range(0, items).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> exact[i]).reversed()).toList();
        int[] excluded = {byScore.get(0), byScore.get(3), byScore.get(7)};

        TopN topN = new TopN();
        int n = topN.select(byDimension, member, excluded, excluded.length, 20);

        Set<Integer> excludedSet = IntStream.of(excluded).boxed().collect(Collectors.toSet());
        List<Integer> expected = byScore.stream().filter(i -> !excludedSet.contains(i)).limit(20).toList();
        assertThat(n).isEqualTo(20);
        assertThat(IntStream.range(0, n).map(topN::row).boxed().toList()).isEqualTo(expected);
        for (int i = 1; i < n; i++) {
            assertThat(topN.score(i)).isLessThanOrEqualTo(topN.score(i - 1));
        }
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void risingScoresAndTiesGiveTheBestFirstWithLowerRowsWinningTies(Layout kind) {
        // Scores rise along the catalog (every item beats the kept ones) in steps of four equal scores.
        int items = 3000;
        float[] rowMajor = new float[items];
        for (int i = 0; i < items; i++) {
            rowMajor[i] = i / 4;
        }
        TopN topN = new TopN();
        int n = topN.select(kind.of(rowMajor, items, 1), new double[] {1}, new int[0], 0, 10);

        assertThat(n).isEqualTo(10);
        assertThat(IntStream.range(0, n).map(topN::row).boxed().toList())
                .containsExactly(2996, 2997, 2998, 2999, 2992, 2993, 2994, 2995, 2988, 2989);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void returnsFewerWhenTheCatalogMinusExclusionsIsSmallerThanTheRow(Layout kind) {
        ScoringLayout byDimension = kind.of(new float[] {1f, 2f, 3f}, 3, 1);
        TopN topN = new TopN();
        int n = topN.select(byDimension, new double[] {1}, new int[] {2}, 1, 10);
        assertThat(n).isEqualTo(2);
        assertThat(List.of(topN.row(0), topN.row(1))).containsExactly(1, 0);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void aBatchGivesEveryMemberExactlyWhatItGetsAlone(Layout kind) {
        Random random = new Random(9);
        int items = 3000;
        int rank = 10; // not a multiple of four: the remainder loop too
        float[] rowMajor = new float[items * rank];
        for (int i = 0; i < rowMajor.length; i++) {
            rowMajor[i] = (float) random.nextGaussian();
        }
        ScoringLayout layout = kind.of(rowMajor, items, rank);
        int count = 7;
        double[][] members = new double[count][];
        int[][] excluded = new int[count][];
        int[] excludedCounts = new int[count];
        BestN[] batch = new BestN[count];
        for (int m = 0; m < count; m++) {
            members[m] = random.doubles(rank, -1, 1).toArray();
            excluded[m] = random.ints(50, 0, items).toArray();
            excludedCounts[m] = 20 + m; // only a prefix counts
            batch[m] = new BestN();
        }
        new TopN().selectBatch(layout, members, excluded, excludedCounts, count, 25, batch);

        for (int m = 0; m < count; m++) {
            TopN alone = new TopN();
            int n = alone.select(layout, members[m], excluded[m], excludedCounts[m], 25);
            assertThat(batch[m].size()).isEqualTo(n).isEqualTo(25);
            for (int i = 0; i < n; i++) {
                assertThat(batch[m].row(i)).as("member %d, place %d", m, i).isEqualTo(alone.row(i));
                assertThat(batch[m].score(i)).isEqualTo(alone.score(i));
            }
            Set<Integer> left = IntStream.of(excluded[m]).limit(excludedCounts[m]).boxed().collect(Collectors.toSet());
            for (int i = 0; i < n; i++) {
                assertThat(left).doesNotContain(batch[m].row(i));
            }
        }
    }

    @Test
    void bfloat16ScoringSelectsTheSameTitlesAndScoresAsFloatScoring() {
        Random random = new Random(17);
        for (int rank : new int[] {10, 64}) {
            int items = 2 * TopN.BLOCK + 503; // a short last block, not a whole number of vectors
            float[] rowMajor = new float[items * rank];
            float[] base = new float[rank];
            for (int k = 0; k < rank; k++) {
                base[k] = (float) random.nextGaussian();
            }
            for (int i = 0; i < items; i++) {
                // A third are near copies of one vector (scores apart by less than bfloat16 resolves), and norms
                // spread over four orders of magnitude, the way popular titles' factors stand out.
                boolean nearCopy = i % 3 == 0;
                float scale = (float) Math.pow(10, random.nextInt(4) - 2);
                for (int k = 0; k < rank; k++) {
                    rowMajor[i * rank + k] = nearCopy ? base[k] * (1 + 1e-4f * (float) random.nextGaussian())
                            : scale * (float) random.nextGaussian();
                }
            }
            ScoringLayout floats = Layout.FLOATS.of(rowMajor, items, rank);
            ScoringLayout bfloat16 = Layout.BFLOAT16.of(rowMajor, items, rank);
            for (int trial = 0; trial < 40; trial++) {
                double[] member = new double[rank];
                for (int k = 0; k < rank; k++) {
                    member[k] = trial % 2 == 0 ? base[k] + 0.1 * random.nextGaussian() : random.nextGaussian();
                }
                int[] excluded = random.ints(30, 0, items).toArray();
                int n = new int[] {1, 10, 25, 200}[trial % 4];
                TopN exact = new TopN();
                TopN approximate = new TopN();
                int expected = exact.select(floats, member, excluded, excluded.length, n);
                int actual = approximate.select(bfloat16, member, excluded, excluded.length, n);
                assertThat(actual).isEqualTo(expected).isEqualTo(n);
                for (int i = 0; i < n; i++) {
                    assertThat(approximate.row(i)).as("rank %d, trial %d, place %d", rank, trial, i).isEqualTo(exact.row(i));
                    assertThat(approximate.score(i)).isEqualTo(exact.score(i));
                }
            }
        }
    }
}
