package io.nearline.operators.similars;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.nearline.operators.models.BadArtifactException;
import io.nearline.schemas.similars.SimilarTitles;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The stored form of a similars build. Each algorithm's result is a folder named by its
 * {@link #resultKey result key}, holding shard files (Avro containers of {@link SimilarTitles}, titles in id
 * order) and a {@code manifest.json} that lists them with their SHA-256. Nothing in either depends on when or
 * where it was written (the Avro sync marker is fixed and no time is recorded), so building the same input
 * twice writes the same bytes, and a stored result can be recognised and reused by its key alone.
 */
public final class SimilarsFiles {

    public static final String MANIFEST = "manifest.json";
    /** Avro needs a 16-byte block marker; a fixed one keeps files byte-identical across builds. */
    private static final byte[] SYNC = "nearline-similar".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SimilarsFiles() {}

    /** Where an algorithm's result lives: {@code <output>/<algorithm>/<version>-<key>/}. */
    public static URI resultFolder(URI output, AlgorithmSpec spec, String key) {
        String base = output.toString().endsWith("/") ? output.toString() : output + "/";
        return URI.create(base + spec.name() + "/" + spec.version() + "-" + key.substring(0, 16) + "/");
    }

    public static URI shardUri(URI folder, int shard, int shards) {
        return folder.resolve(String.format(Locale.ROOT, "shard-%05d-of-%05d.avro", shard, shards));
    }

    public static URI manifestUri(URI folder) {
        return folder.resolve(MANIFEST);
    }

    /**
     * The result key: a SHA-256 over the algorithm's canonical form, the fingerprints of the data it reads and
     * the keys of the algorithms it blends. Equal keys mean equal results.
     */
    public static String resultKey(AlgorithmSpec spec, String catalogFingerprint, String coWatchFingerprint, int shards,
            Map<String, String> inputKeys) {
        StringBuilder text = new StringBuilder(spec.canonical()).append(";shards=").append(shards);
        if (!spec.isBlend()) {
            text.append(";catalog=").append(catalogFingerprint);
            if (spec.usesCoWatch()) {
                text.append(";co-watch=").append(coWatchFingerprint);
            }
        }
        new java.util.TreeMap<>(inputKeys).forEach((name, key) -> text.append(";input:").append(name).append('=').append(key));
        return io.nearline.operators.models.ModelArtifacts.sha256(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] writeShard(List<SimilarTitles> lists) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(lists.size() * 256 + 1024);
        try (DataFileWriter<SimilarTitles> writer = new DataFileWriter<>(new SpecificDatumWriter<>(SimilarTitles.class))) {
            writer.create(SimilarTitles.SCHEMA$, out, SYNC);
            for (SimilarTitles list : lists) {
                writer.append(list);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static List<SimilarTitles> readShard(byte[] bytes, String source) throws BadArtifactException {
        List<SimilarTitles> lists = new ArrayList<>();
        try (DataFileStream<SimilarTitles> in = new DataFileStream<>(new ByteArrayInputStream(bytes),
                new SpecificDatumReader<>(SimilarTitles.class))) {
            while (in.hasNext()) {
                lists.add(in.next());
            }
        } catch (IOException | RuntimeException e) {
            throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE, source + " is not a similars file: " + e.getMessage(), e);
        }
        return lists;
    }

    /** One shard file as a manifest lists it. */
    public record Shard(String uri, String sha256, long sizeBytes, int titles) {}

    /** The manifest of one algorithm's result. */
    public record Manifest(String algorithm, String version, String key, List<Shard> shards) {

        public int titles() {
            return shards.stream().mapToInt(Shard::titles).sum();
        }
    }

    public static byte[] writeManifest(Manifest manifest) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("algorithm", manifest.algorithm());
        doc.put("version", manifest.version());
        doc.put("key", manifest.key());
        List<Map<String, Object>> shards = new ArrayList<>();
        for (Shard shard : manifest.shards()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("uri", shard.uri());
            entry.put("sha256", shard.sha256());
            entry.put("sizeBytes", shard.sizeBytes());
            entry.put("titles", shard.titles());
            shards.add(entry);
        }
        doc.put("shards", shards);
        try {
            return JSON.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Manifest readManifest(byte[] bytes, String source) throws BadArtifactException {
        try {
            JsonNode doc = JSON.readTree(bytes);
            List<Shard> shards = new ArrayList<>();
            for (JsonNode shard : doc.path("shards")) {
                shards.add(new Shard(required(shard, "uri"), required(shard, "sha256"), shard.path("sizeBytes").asLong(-1),
                        shard.path("titles").asInt(-1)));
            }
            return new Manifest(required(doc, "algorithm"), required(doc, "version"), required(doc, "key"), shards);
        } catch (IOException | IllegalArgumentException e) {
            throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE, source + " is not a similars manifest: " + e.getMessage(), e);
        }
    }

    private static String required(JsonNode node, String field) {
        if (!node.path(field).isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return node.get(field).asText();
    }
}
