package io.nearline.operators.models;

import io.nearline.operators.neighbours.TitleNeighbours;
import io.nearline.operators.als.Gram;
import io.nearline.schemas.model.ItemFactors;
import io.nearline.schemas.model.ModelMetadata;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The model artifact format: an Avro container file of {@link ItemFactors} records (factors and neighbours of
 * each title) whose header holds the
 * {@link ModelMetadata} (single-object encoded) under {@value #METADATA_KEY}. Reading checks size and
 * SHA-256 before parsing, then the rank and item count against the metadata, so a bad artifact is refused
 * whole and never loaded half.
 */
public final class ModelArtifacts {

    static {
        io.nearline.schemas.AvroLimits.apply(); // a forged header's lengths fail instead of allocating
    }

    public static final String METADATA_KEY = "nearline.model.metadata";

    private ModelArtifacts() {}

    /**
     * A model artifact from trained item factors: computes the Gram matrix and records the training
     * hyperparameters (fold-in reads {@code alpha} and {@code lambda} from them).
     */
    public static ModelArtifact assemble(String name, String version, String[] itemIds, float[] factors, int rank,
            java.util.Map<String, String> hyperparameters, java.time.Instant trainedFrom, java.time.Instant trainedUntil,
            List<String> popular, java.util.Map<String, Double> evaluation) {
        return assemble(name, version, itemIds, factors, rank, hyperparameters, trainedFrom, trainedUntil, popular, evaluation,
                TitleNeighbours.none());
    }

    /** {@link #assemble} with each title's neighbours, by the rows of {@code itemIds}. */
    public static ModelArtifact assemble(String name, String version, String[] itemIds, float[] factors, int rank,
            java.util.Map<String, String> hyperparameters, java.time.Instant trainedFrom, java.time.Instant trainedUntil,
            List<String> popular, java.util.Map<String, Double> evaluation, TitleNeighbours neighbours) {
        double[] gram = io.nearline.operators.als.Gram.gram(factors, itemIds.length, rank);
        List<Double> gramList = new ArrayList<>(gram.length);
        for (double value : gram) {
            gramList.add(value);
        }
        ModelMetadata metadata = ModelMetadata.newBuilder()
                .setName(name).setVersion(version).setKind(io.nearline.schemas.model.ArtifactKind.MODEL).setRank(rank)
                .setHyperparameters(new java.util.HashMap<>(hyperparameters))
                .setTrainedFrom(trainedFrom).setTrainedUntil(trainedUntil)
                .setNumItems(itemIds.length).setCreatedAt(java.time.Instant.now())
                .setEvaluation(new java.util.HashMap<>(evaluation))
                .setPopular(new ArrayList<>(popular))
                .setGram(gramList)
                .build();
        return new ModelArtifact(metadata, itemIds, factors, neighbours);
    }

    public static byte[] write(ModelArtifact artifact) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(artifact.numItems() * (artifact.rank() * 4 + 24) + 4096);
        try (DataFileWriter<ItemFactors> writer = new DataFileWriter<>(new SpecificDatumWriter<>(ItemFactors.class))) {
            writer.setMeta(METADATA_KEY, ModelMetadata.getEncoder().encode(artifact.metadata()).array());
            writer.create(ItemFactors.SCHEMA$, out);
            int rank = artifact.rank();
            float[][] vectors = artifact.vectors();
            for (int i = 0; i < artifact.numItems(); i++) {
                List<Float> vector = new ArrayList<>(rank);
                for (int k = 0; k < rank; k++) {
                    vector.add(vectors[i][k]);
                }
                TitleNeighbours neighbours = artifact.neighbours();
                List<Integer> rows = new ArrayList<>(neighbours.end(i) - neighbours.start(i));
                List<Float> scores = new ArrayList<>(rows.size());
                for (int n = neighbours.start(i); n < neighbours.end(i); n++) {
                    rows.add(neighbours.row(n));
                    scores.add(neighbours.score(n));
                }
                writer.append(new ItemFactors(artifact.itemId(i), vector, rows, scores));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Hex SHA-256, as descriptors carry it. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Verifies and parses an artifact.
     *
     * @param expectedSize the size the descriptor announced
     * @param expectedSha256 the checksum the descriptor announced
     * @param expectedRank the rank the job works with, or 0 to accept the artifact's own
     */
    public static ModelArtifact read(byte[] bytes, long expectedSize, String expectedSha256, int expectedRank)
            throws BadArtifactException {
        if (bytes.length < expectedSize) {
            throw new BadArtifactException(BadArtifactException.Reason.TRUNCATED,
                    bytes.length + " bytes of " + expectedSize);
        }
        String actual = sha256(bytes);
        if (bytes.length != expectedSize || !actual.equalsIgnoreCase(expectedSha256)) {
            throw new BadArtifactException(BadArtifactException.Reason.CHECKSUM_MISMATCH,
                    "SHA-256 " + actual + " (" + bytes.length + " bytes), expected " + expectedSha256);
        }
        try (DataFileStream<ItemFactors> stream =
                new DataFileStream<>(new ByteArrayInputStream(bytes), new SpecificDatumReader<>(ItemFactors.class))) {
            byte[] metadataBytes = stream.getMeta(METADATA_KEY);
            if (metadataBytes == null) {
                throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE, "no " + METADATA_KEY + " in the header");
            }
            ModelMetadata metadata = io.nearline.schemas.ModelMetadataCodec.decode(ByteBuffer.wrap(metadataBytes));
            int rank = metadata.getRank();
            if (rank < 1 || (expectedRank > 0 && rank != expectedRank)) {
                throw new BadArtifactException(BadArtifactException.Reason.WRONG_RANK,
                        "rank " + rank + ", expected " + (expectedRank > 0 ? expectedRank : "at least 1"));
            }
            if (metadata.getGram().size() != rank * rank) {
                throw new BadArtifactException(BadArtifactException.Reason.WRONG_RANK,
                        "Gram matrix of " + metadata.getGram().size() + " values for rank " + rank);
            }
            for (double value : metadata.getGram()) {
                if (!Double.isFinite(value)) {
                    throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE, "the Gram matrix has a non-finite value");
                }
            }
            int items = metadata.getNumItems();
            // Each factor takes 4 bytes: more announced than the bytes can hold is a forged header, refused before
            // anything that size is allocated.
            if (items < 0 || (long) items * rank * Float.BYTES > bytes.length) {
                throw new BadArtifactException(BadArtifactException.Reason.TRUNCATED,
                        items + " items of rank " + rank + " announced, more than " + bytes.length + " bytes hold");
            }
            java.util.Set<String> seen = new java.util.HashSet<>();
            String[] ids = new String[items];
            float[] factors = new float[items * rank];
            int[] neighbourOffsets = new int[items + 1];
            int[] neighbourRows = new int[0];
            float[] neighbourScores = new float[0];
            int neighbourCount = 0;
            int i = 0;
            ItemFactors record = null;
            while (stream.hasNext()) {
                record = stream.next(record);
                if (i >= items) {
                    throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE,
                            "more items than the " + items + " announced");
                }
                if (record.getFactors().size() != rank) {
                    throw new BadArtifactException(BadArtifactException.Reason.WRONG_RANK,
                            "item " + record.getItemId() + " has " + record.getFactors().size() + " factors, rank is " + rank);
                }
                ids[i] = record.getItemId();
                if (!seen.add(ids[i])) {
                    throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE, "item " + ids[i] + " appears twice");
                }
                for (int k = 0; k < rank; k++) {
                    float value = record.getFactors().get(k);
                    if (!Float.isFinite(value)) {
                        throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE,
                                "item " + ids[i] + " has a non-finite factor");
                    }
                    factors[i * rank + k] = value;
                }
                if (record.getNeighbours().size() != record.getNeighbourScores().size()) {
                    throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE, "item " + ids[i] + " has "
                            + record.getNeighbours().size() + " neighbours and " + record.getNeighbourScores().size() + " scores");
                }
                int added = record.getNeighbours().size();
                if (neighbourCount + added > neighbourRows.length) {
                    int capacity = Math.max(neighbourCount + added, neighbourRows.length * 2);
                    neighbourRows = java.util.Arrays.copyOf(neighbourRows, capacity);
                    neighbourScores = java.util.Arrays.copyOf(neighbourScores, capacity);
                }
                for (int n = 0; n < added; n++) {
                    neighbourRows[neighbourCount] = record.getNeighbours().get(n);
                    neighbourScores[neighbourCount++] = record.getNeighbourScores().get(n);
                }
                neighbourOffsets[i + 1] = neighbourCount;
                i++;
            }
            if (i != items) {
                throw new BadArtifactException(BadArtifactException.Reason.TRUNCATED, i + " items of " + items);
            }
            TitleNeighbours neighbours = TitleNeighbours.none();
            if (neighbourCount > 0) {
                try {
                    neighbours = new TitleNeighbours(neighbourOffsets, java.util.Arrays.copyOf(neighbourRows, neighbourCount),
                            java.util.Arrays.copyOf(neighbourScores, neighbourCount));
                } catch (IllegalArgumentException e) {
                    throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE, e.getMessage());
                }
            }
            return new ModelArtifact(metadata, ids, factors, neighbours);
        } catch (IOException | RuntimeException e) {
            throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE, String.valueOf(e.getMessage()), e);
        }
    }
}
