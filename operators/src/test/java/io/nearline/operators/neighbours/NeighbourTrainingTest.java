package io.nearline.operators.neighbours;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NeighbourTrainingTest {

    private static final NeighbourTraining.Settings SYMMETRIC = new NeighbourTraining.Settings(10, 2, 0, 0);

    @Test
    void titlesWatchedTogetherAreNeighboursAndTitlesApartAreNot() {
        // Members watch 0 then 1 then 2; title 3 is always watched far from 0.
        List<int[]> sequences = List.of(new int[] {0, 1, 2, 5, 6, 3}, new int[] {0, 1, 2, 6, 5, 3}, new int[] {1, 0, 2, 5, 6, 3});

        TitleNeighbours neighbours = NeighbourTraining.train(7, sequences, SYMMETRIC);

        assertThat(neighbours.rowsOf(0)).startsWith(1, 2).doesNotContain(3, 0);
        assertThat(neighbours.rowsOf(3)).containsExactlyInAnyOrder(5, 6);
        assertThat(neighbours.scoresOf(0)).isSortedAccordingTo((a, b) -> Float.compare(b, a));
    }

    @Test
    void scoreIsTheCosineOfCoWatching() {
        // 0 and 1 together for two members; 1 also alone for two more: cos = 2 / sqrt(2 * 4).
        List<int[]> sequences = List.of(new int[] {0, 1}, new int[] {1, 0}, new int[] {1}, new int[] {1});

        TitleNeighbours neighbours = NeighbourTraining.train(2, sequences, SYMMETRIC);

        assertThat(neighbours.scoresOf(0)[0]).isCloseTo((float) (2 / Math.sqrt(8)), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(neighbours.scoresOf(1)[0]).isEqualTo(neighbours.scoresOf(0)[0]);
    }

    @Test
    void whatFollowsATitleOutranksWhatPrecedesItWithForwardWeight() {
        // 1 comes before 0 as often as 2 comes after it.
        List<int[]> sequences = List.of(new int[] {1, 0, 2}, new int[] {1, 0, 2});

        TitleNeighbours forward = NeighbourTraining.train(3, sequences, new NeighbourTraining.Settings(10, 1, 1, 1.0));
        TitleNeighbours symmetric = NeighbourTraining.train(3, sequences, SYMMETRIC);

        assertThat(forward.rowsOf(0)).containsExactly(2, 1);
        assertThat(forward.scoresOf(0)[0]).isGreaterThan(forward.scoresOf(0)[1]);
        assertThat(symmetric.scoresOf(0)[0]).isEqualTo(symmetric.scoresOf(0)[1]);
    }

    @Test
    void eachTitleKeepsAtMostItsNeighbourCount() {
        int[] everything = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

        TitleNeighbours neighbours = NeighbourTraining.train(10, List.of(everything),
                new NeighbourTraining.Settings(3, 10, 0, 0));

        for (int title = 0; title < 10; title++) {
            assertThat(neighbours.rowsOf(title)).hasSize(3).doesNotContain(title);
        }
    }

    @Test
    void noNeighboursAskedForGivesAnEmptyTable() {
        TitleNeighbours neighbours = NeighbourTraining.train(3, List.of(new int[] {0, 1, 2}),
                new NeighbourTraining.Settings(0, 5, 5, 1));

        assertThat(neighbours.isEmpty()).isTrue();
        assertThat(neighbours.end(1) - neighbours.start(1)).isZero();
    }

    @Test
    void tableThatNamesNoSuchTitleIsRefused() {
        assertThatThrownBy(() -> new TitleNeighbours(new int[] {0, 1, 1}, new int[] {2}, new float[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neighbour row 2");
        assertThatThrownBy(() -> new TitleNeighbours(new int[] {0, 1, 1}, new int[] {1}, new float[] {Float.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
    }
}
