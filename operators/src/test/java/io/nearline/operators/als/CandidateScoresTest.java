package io.nearline.operators.als;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CandidateScoresTest {

    @Test
    void theScoresOfChosenTitlesAreTheirDotProductsWithTheFactor() {
        Random random = new Random(7);
        int rank = 67; // not a multiple of any vector length: the tails count too
        float[][] rows = new float[50][rank];
        for (float[] row : rows) {
            for (int k = 0; k < rank; k++) {
                row[k] = (float) random.nextGaussian();
            }
        }
        float[] x = new float[rank];
        for (int k = 0; k < rank; k++) {
            x[k] = (float) random.nextGaussian();
        }
        int[] titles = {3, 49, 0, 17, 17, 8, 22}; // seven: one group of four and three alone
        float[] out = new float[titles.length];
        float[] plain = new float[titles.length];

        CandidateScores.dots(rows, titles, titles.length, x, out);
        CandidateScores.plainDots(rows, titles, titles.length, x, plain);

        for (int c = 0; c < titles.length; c++) {
            double expected = 0;
            for (int k = 0; k < rank; k++) {
                expected += (double) rows[titles[c]][k] * x[k];
            }
            assertThat((double) out[c]).as("title %d", titles[c]).isCloseTo(expected, within(1e-4));
            assertThat((double) plain[c]).isCloseTo(expected, within(1e-4));
        }
    }
}
