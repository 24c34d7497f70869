package io.nearline.serving;

import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.TestModels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ExplainerTest {

    private static final double ALPHA = 10;
    private static final double LAMBDA = 30;

    @Test
    void contributionsAddUpToTheFoldedInMembersScore() {
        ModelArtifact model = TestModels.random("v1", 200, 8, 3);
        List<String> watched = List.of("t3", "t17", "t42", "t99");
        List<Float> weights = List.of(1.0f, 0.5f, 2.0f, 0.25f);

        List<Explainer.Support> support = new Explainer(ALPHA, LAMBDA).explain(model, model.row("t7"), watched, weights);

        double score = dot(foldIn(model, watched, weights), model.vectors()[model.row("t7")]);
        assertThat(support.stream().mapToDouble(Explainer.Support::contribution).sum()).isCloseTo(score, within(1e-4));
        assertThat(support).extracting(Explainer.Support::title).containsExactlyInAnyOrderElementsOf(watched);
        assertThat(support).isSortedAccordingTo((a, b) -> Double.compare(b.contribution(), a.contribution()));
    }

    @Test
    void aWatchedTitleExplainsItselfMost() {
        ModelArtifact model = TestModels.random("v1", 200, 8, 5);
        List<String> watched = List.of("t10", "t20", "t30");

        List<Explainer.Support> support = new Explainer(ALPHA, LAMBDA).explain(model, model.row("t20"), watched,
                List.of(1f, 1f, 1f));

        assertThat(support.get(0).title()).isEqualTo("t20");
    }

    /** x = (Y'Y + Y'(C - I)Y + lambda I)^-1 Y'C p: the exact implicit-ALS fold-in. */
    private static double[] foldIn(ModelArtifact model, List<String> watched, List<Float> weights) {
        int k = model.rank();
        double[] a = model.gram().clone();
        double[] b = new double[k];
        for (int d = 0; d < k; d++) {
            a[d * k + d] += LAMBDA;
        }
        for (int n = 0; n < watched.size(); n++) {
            float[] y = model.vectors()[model.row(watched.get(n))];
            double c = 1 + ALPHA * weights.get(n);
            for (int p = 0; p < k; p++) {
                b[p] += c * y[p];
                for (int q = 0; q < k; q++) {
                    a[p * k + q] += (c - 1) * y[p] * y[q];
                }
            }
        }
        float[] bf = new float[k];
        for (int p = 0; p < k; p++) {
            bf[p] = (float) b[p];
        }
        return Explainer.solve(a, k, bf);
    }

    private static double dot(double[] x, float[] y) {
        double s = 0;
        for (int p = 0; p < x.length; p++) {
            s += x[p] * y[p];
        }
        return s;
    }
}
