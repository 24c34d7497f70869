package io.nearline.topology.eval;

import io.nearline.operators.als.ImplicitAls;
import io.nearline.operators.als.SparseRows;
import io.nearline.operators.members.Interaction;
import io.nearline.operators.members.MemberHistory;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.neighbours.NeighbourTraining;
import io.nearline.operators.neighbours.TitleNeighbours;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a model in this process from members' interactions: each member's history is compacted as in
 * nearline state, weights decayed to the member's newest interaction, then implicit ALS; each title's
 * neighbours from the members' positive titles in time order. For evaluation and
 * small data; TrainJob does the same on Flink.
 */
public final class LocalTrainer {

    /** A trained model with the member factors it was trained with (the "stale" model of the evaluation). */
    public record Trained(ModelArtifact model, Map<String, double[]> memberFactors) {}

    private LocalTrainer() {}

    public static Trained train(Map<String, List<Interaction>> byMember, MemberHistory history, ImplicitAls.Settings settings,
            NeighbourTraining.Settings neighbourSettings, String name, String version) {
        long from = Long.MAX_VALUE;
        long until = Long.MIN_VALUE;
        for (List<Interaction> interactions : byMember.values()) {
            for (Interaction interaction : interactions) {
                from = Math.min(from, interaction.time);
                until = Math.max(until, interaction.time);
            }
        }
        Map<String, Integer> titleRows = new LinkedHashMap<>();
        Map<String, Integer> popularity = new HashMap<>();
        List<String> members = new ArrayList<>(byMember.keySet());
        List<int[]> cells = new ArrayList<>();
        List<int[]> sequences = new ArrayList<>(members.size());
        List<Float> weights = new ArrayList<>();
        for (int m = 0; m < members.size(); m++) {
            List<Interaction> compacted = history.compact(byMember.get(members.get(m)));
            // Decayed to the member's newest interaction, as nearline state decays to the newest event.
            long newest = compacted.isEmpty() ? until : compacted.get(compacted.size() - 1).time;
            int[] sequence = new int[compacted.size()];
            int positives = 0;
            for (Interaction interaction : compacted) {
                float weight = history.decay(interaction.weight, interaction.time, newest);
                int row = titleRows.computeIfAbsent(interaction.titleId, t -> titleRows.size());
                if (interaction.weight > 0) {
                    popularity.merge(interaction.titleId, 1, Integer::sum);
                    sequence[positives++] = row;
                }
                if (weight != 0) {
                    cells.add(new int[] {m, row});
                    weights.add(weight);
                }
            }
            sequences.add(java.util.Arrays.copyOf(sequence, positives));
        }
        int count = cells.size();
        int[] rowOf = new int[count];
        int[] columnOf = new int[count];
        float[] weightOf = new float[count];
        for (int n = 0; n < count; n++) {
            rowOf[n] = cells.get(n)[0];
            columnOf[n] = cells.get(n)[1];
            weightOf[n] = weights.get(n);
        }
        SparseRows byMemberRows = SparseRows.of(members.size(), titleRows.size(), rowOf, columnOf, weightOf, count);
        ImplicitAls.Factors factors = ImplicitAls.train(byMemberRows, settings);

        String[] itemIds = titleRows.keySet().toArray(new String[0]);
        List<String> popular = popularity.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(1000).map(Map.Entry::getKey).toList();
        Map<String, String> hyperparameters = Map.of(
                "rank", Integer.toString(settings.rank()), "lambda", Double.toString(settings.lambda()),
                "alpha", Double.toString(settings.alpha()), "iterations", Integer.toString(settings.iterations()),
                "neighbours", neighbourSettings.toString());
        TitleNeighbours neighbours = NeighbourTraining.train(itemIds.length, sequences, neighbourSettings);
        ModelArtifact model = ModelArtifacts.assemble(name, version, itemIds, factors.items(), settings.rank(), hyperparameters,
                Instant.ofEpochMilli(from), Instant.ofEpochMilli(until), popular, Map.of(), neighbours);
        Map<String, double[]> memberFactors = new HashMap<>();
        int rank = settings.rank();
        for (int m = 0; m < members.size(); m++) {
            double[] x = new double[rank];
            for (int k = 0; k < rank; k++) {
                x[k] = factors.members()[m * rank + k];
            }
            memberFactors.put(members.get(m), x);
        }
        return new Trained(model, memberFactors);
    }
}
