package io.nearline.operators.neighbours;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Trains {@link TitleNeighbours} from members' title sequences (each member's positive titles, oldest first).
 * Two titles are neighbours when members watch them close together: the score of b for a is the number of
 * members who watched b within {@code window} titles of a, plus {@code forwardWeight} times those who watched b
 * within {@code forwardWindow} titles after a (what members go on to), divided by the geometric mean of how many
 * members watched each (the cosine of the two titles' co-occurrence). Counting only nearby pairs keeps the cost
 * linear in the interactions (times the window) where all pairs of a member's history would be quadratic; each
 * title keeps its best {@code neighbours}.
 */
public final class NeighbourTraining {

    /** How neighbours are counted; see the class comment. */
    public record Settings(int neighbours, int window, int forwardWindow, double forwardWeight) implements java.io.Serializable {
        public Settings {
            if (neighbours < 0 || window < 0 || forwardWindow < 0 || !(forwardWeight >= 0)) {
                throw new IllegalArgumentException("neighbour settings must not be negative: neighbours " + neighbours
                        + ", window " + window + ", forward window " + forwardWindow + ", forward weight " + forwardWeight);
            }
        }

        /** No table: what models without one get. */
        public boolean none() {
            return neighbours == 0 || (window == 0 && (forwardWindow == 0 || forwardWeight == 0));
        }
    }

    private NeighbourTraining() {}

    /**
     * @param titles how many titles (model rows) there are
     * @param sequences each member's titles as model rows, oldest first; a title may appear once per member
     */
    public static TitleNeighbours train(int titles, List<int[]> sequences, Settings settings) {
        if (settings.none() || titles == 0) {
            return TitleNeighbours.none();
        }
        // Where each title occurs: (member, position) pairs, grouped by title.
        int[] count = new int[titles];
        for (int[] sequence : sequences) {
            for (int row : sequence) {
                count[row]++;
            }
        }
        int[] occurrenceStart = new int[titles + 1];
        for (int t = 0; t < titles; t++) {
            occurrenceStart[t + 1] = occurrenceStart[t] + count[t];
        }
        int[] occurrenceMember = new int[occurrenceStart[titles]];
        int[] occurrencePosition = new int[occurrenceStart[titles]];
        int[] fill = Arrays.copyOf(occurrenceStart, titles);
        for (int m = 0; m < sequences.size(); m++) {
            int[] sequence = sequences.get(m);
            for (int p = 0; p < sequence.length; p++) {
                int at = fill[sequence[p]]++;
                occurrenceMember[at] = m;
                occurrencePosition[at] = p;
            }
        }
        int reach = reach(settings);
        float[] sums = new float[titles];
        int[] touched = new int[titles];
        int[] offsets = new int[titles + 1];
        List<int[]> neighbourRows = new ArrayList<>(titles);
        List<float[]> neighbourScores = new ArrayList<>(titles);
        BestRows best = new BestRows();
        for (int a = 0; a < titles; a++) {
            int touchedCount = 0;
            for (int o = occurrenceStart[a]; o < occurrenceStart[a + 1]; o++) {
                int[] sequence = sequences.get(occurrenceMember[o]);
                int p = occurrencePosition[o];
                int from = Math.max(0, p - reach);
                int to = Math.min(sequence.length - 1, p + reach);
                for (int q = from; q <= to; q++) {
                    float add = pairWeight(settings, q - p);
                    int b = sequence[q];
                    if (q == p || add == 0 || b == a) {
                        continue;
                    }
                    if (sums[b] == 0) {
                        touched[touchedCount++] = b;
                    }
                    sums[b] += add;
                }
            }
            best.reset(settings.neighbours());
            for (int i = 0; i < touchedCount; i++) {
                int b = touched[i];
                best.offer(b, cosine(sums[b], count[a], count[b]));
                sums[b] = 0;
            }
            int[] rows = best.rows();
            neighbourRows.add(rows);
            neighbourScores.add(best.scores());
            offsets[a + 1] = offsets[a] + rows.length;
        }
        int[] rows = new int[offsets[titles]];
        float[] scores = new float[offsets[titles]];
        for (int a = 0; a < titles; a++) {
            System.arraycopy(neighbourRows.get(a), 0, rows, offsets[a], neighbourRows.get(a).length);
            System.arraycopy(neighbourScores.get(a), 0, scores, offsets[a], neighbourScores.get(a).length);
        }
        return new TitleNeighbours(offsets, rows, scores);
    }

    /** How far apart in a member's sequence two titles can be and still count. */
    public static int reach(Settings settings) {
        return Math.max(settings.window(), settings.forwardWeight() > 0 ? settings.forwardWindow() : 0);
    }

    /**
     * What a member who watched b {@code offset} titles after a (before it if negative) adds to b's sum for a.
     */
    public static float pairWeight(Settings settings, int offset) {
        int distance = Math.abs(offset);
        if (distance == 0) {
            return 0;
        }
        return (distance <= settings.window() ? 1f : 0f)
                + (offset > 0 && distance <= settings.forwardWindow() ? (float) settings.forwardWeight() : 0f);
    }

    /** b's score for a from b's sum for a and how many members watched each. */
    public static float cosine(double sum, long watchedA, long watchedB) {
        return (float) (sum / Math.sqrt((double) watchedA * watchedB));
    }
}
