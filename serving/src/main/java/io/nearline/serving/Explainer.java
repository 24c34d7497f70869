package io.nearline.serving;

import io.nearline.operators.models.ModelArtifact;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Why implicit ALS recommends a title to a member: the member's score for title i is a sum over the titles j the
 * member watched of {@code s_ij * c_j}, where {@code s_ij = y_i' W y_j}, {@code W = (Y'Y + Y' (C - I) Y + lambda I)^-1}
 * and {@code c_j = 1 + alpha * weight_j} (Hu, Koren and Volinsky, 2008, section 5). Each watched title's share of
 * that sum is how much it supports the recommendation.
 */
final class Explainer {

    /** One watched title and its part in the score. */
    record Support(String title, float weight, double contribution) {}

    private final double alpha;
    private final double lambda;

    Explainer(double alpha, double lambda) {
        this.alpha = alpha;
        this.lambda = lambda;
    }

    /** The watched titles that support title {@code row} of the model, most first; titles unknown to the model are skipped. */
    List<Support> explain(ModelArtifact model, int row, List<String> watched, List<Float> weights) {
        int k = model.rank();
        double[] a = model.gram().clone();
        for (int d = 0; d < k; d++) {
            a[d * k + d] += lambda;
        }
        List<Integer> rows = new ArrayList<>();
        List<Double> confidences = new ArrayList<>();
        for (int n = 0; n < watched.size(); n++) {
            int j = model.row(watched.get(n));
            if (j < 0) {
                rows.add(-1);
                confidences.add(0.0);
                continue;
            }
            double c = 1 + alpha * Math.abs(weights.get(n));
            float[] y = model.vectors()[j];
            for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) {
                    a[p * k + q] += (c - 1) * y[p] * y[q];
                }
            }
            rows.add(j);
            confidences.add(c);
        }
        double[] z = solve(a, k, model.vectors()[row]);
        List<Support> support = new ArrayList<>();
        for (int n = 0; n < watched.size(); n++) {
            int j = rows.get(n);
            if (j < 0) {
                continue;
            }
            float[] y = model.vectors()[j];
            double s = 0;
            for (int p = 0; p < k; p++) {
                s += z[p] * y[p];
            }
            support.add(new Support(watched.get(n), weights.get(n), s * confidences.get(n)));
        }
        support.sort(Comparator.comparingDouble(Support::contribution).reversed());
        return support;
    }

    /** Solves {@code A x = b} for the symmetric positive definite A (Cholesky). */
    static double[] solve(double[] a, int k, float[] b) {
        double[] l = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i * k + j];
                for (int p = 0; p < j; p++) {
                    sum -= l[i * k + p] * l[j * k + p];
                }
                l[i * k + j] = i == j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[j * k + j];
            }
        }
        double[] y = new double[k];
        for (int i = 0; i < k; i++) {
            double sum = b[i];
            for (int p = 0; p < i; p++) {
                sum -= l[i * k + p] * y[p];
            }
            y[i] = sum / l[i * k + i];
        }
        double[] x = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            double sum = y[i];
            for (int p = i + 1; p < k; p++) {
                sum -= l[p * k + i] * x[p];
            }
            x[i] = sum / l[i * k + i];
        }
        return x;
    }
}
