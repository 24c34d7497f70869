package io.nearline.operators.als;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class TopNTest {

    @Test
    void selectsTheHighestScoringItemsInOrderLeavingOutExcludedOnes() {
        Random random = new Random(3);
        int items = 5000;
        int rank = 16;
        float[] rowMajor = new float[items * rank];
        for (int i = 0; i < rowMajor.length; i++) {
            rowMajor[i] = (float) random.nextGaussian();
        }
        // 5000 items: several blocks of the scoring layout, the last one shorter.
        float[][] byDimension = TopN.layout(rowMajor, items, rank);
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
        int n = topN.select(byDimension, items, rank, member, excluded, excluded.length, 20);

        Set<Integer> excludedSet = IntStream.of(excluded).boxed().collect(Collectors.toSet());
        List<Integer> expected = byScore.stream().filter(i -> !excludedSet.contains(i)).limit(20).toList();
        assertThat(n).isEqualTo(20);
        assertThat(IntStream.range(0, n).map(topN::row).boxed().toList()).isEqualTo(expected);
        for (int i = 1; i < n; i++) {
            assertThat(topN.score(i)).isLessThanOrEqualTo(topN.score(i - 1));
        }
    }

    @Test
    void returnsFewerWhenTheCatalogMinusExclusionsIsSmallerThanTheRow() {
        float[][] byDimension = TopN.layout(new float[] {1f, 2f, 3f}, 3, 1);
        TopN topN = new TopN();
        int n = topN.select(byDimension, 3, 1, new double[] {1}, new int[] {2}, 1, 10);
        assertThat(n).isEqualTo(2);
        assertThat(List.of(topN.row(0), topN.row(1))).containsExactly(1, 0);
    }
}
