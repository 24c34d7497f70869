package io.nearline.operators.models;

import io.nearline.schemas.model.ArtifactKind;
import io.nearline.schemas.model.ModelMetadata;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small random models for tests. */
public final class TestModels {

    private TestModels() {}

    public static ModelArtifact random(String version, int items, int rank, long seed) {
        Random random = new Random(seed);
        String[] ids = new String[items];
        float[] factors = new float[items * rank];
        for (int i = 0; i < items; i++) {
            ids[i] = "t" + i;
            for (int k = 0; k < rank; k++) {
                factors[i * rank + k] = (float) random.nextGaussian() * 0.1f;
            }
        }
        List<Double> gram = new ArrayList<>(rank * rank);
        for (int a = 0; a < rank; a++) {
            for (int b = 0; b < rank; b++) {
                double sum = 0;
                for (int i = 0; i < items; i++) {
                    sum += (double) factors[i * rank + a] * factors[i * rank + b];
                }
                gram.add(sum);
            }
        }
        ModelMetadata metadata = ModelMetadata.newBuilder()
                .setName("als").setVersion(version).setKind(ArtifactKind.MODEL).setRank(rank)
                .setHyperparameters(Map.of("lambda", "0.1", "alpha", "40"))
                .setTrainedFrom(Instant.parse("2026-11-01T00:00:00Z")).setTrainedUntil(Instant.parse("2026-11-20T00:00:00Z"))
                .setNumItems(items).setCreatedAt(Instant.parse("2026-11-21T00:00:00Z"))
                .setEvaluation(Map.of("hr10", 0.12))
                .setPopular(List.of("t0", "t1", "t2"))
                .setGram(gram)
                .build();
        return new ModelArtifact(metadata, ids, factors);
    }

    /** The same model with a neighbour table: {@code k} random other titles per title, scores falling from 1. */
    public static ModelArtifact withRandomNeighbours(ModelArtifact model, int k, long seed) {
        Random random = new Random(seed);
        int items = model.numItems();
        int perTitle = Math.min(k, items - 1);
        int[] offsets = new int[items + 1];
        int[] rows = new int[items * perTitle];
        float[] scores = new float[rows.length];
        for (int i = 0; i < items; i++) {
            offsets[i + 1] = offsets[i] + perTitle;
            int[] picked = random.ints(0, items).distinct().limit(perTitle + 1L).toArray();
            int n = 0;
            for (int row : picked) {
                if (row != i && n < perTitle) {
                    rows[offsets[i] + n] = row;
                    scores[offsets[i] + n] = 1f / (1 + n);
                    n++;
                }
            }
        }
        String[] ids = new String[items];
        for (int i = 0; i < items; i++) {
            ids[i] = model.itemId(i);
        }
        return new ModelArtifact(model.metadata(), ids, model.factors(),
                new io.nearline.operators.neighbours.TitleNeighbours(offsets, rows, scores));
    }

    /**
     * The bytes of an artifact of {@code model} whose first title names a neighbour past the last title, as a broken
     * trainer could write it: well-formed Avro with a checksum of its own, refused only by the table's check.
     */
    public static byte[] withNeighbourPastTheTitles(ModelArtifact model) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (org.apache.avro.file.DataFileWriter<io.nearline.schemas.model.ItemFactors> writer = new org.apache.avro.file.DataFileWriter<>(
                new org.apache.avro.specific.SpecificDatumWriter<>(io.nearline.schemas.model.ItemFactors.class))) {
            writer.setMeta(ModelArtifacts.METADATA_KEY, ModelMetadata.getEncoder().encode(model.metadata()).array());
            writer.create(io.nearline.schemas.model.ItemFactors.SCHEMA$, out);
            for (int i = 0; i < model.numItems(); i++) {
                List<Float> vector = new ArrayList<>();
                for (float value : model.vectors()[i]) {
                    vector.add(value);
                }
                List<Integer> neighbours = i == 0 ? List.of(1, model.numItems()) : List.of((i + 1) % model.numItems());
                List<Float> scores = i == 0 ? List.of(1f, 0.5f) : List.of(1f);
                writer.append(new io.nearline.schemas.model.ItemFactors(model.itemId(i), vector, neighbours, scores));
            }
        }
        return out.toByteArray();
    }
}
