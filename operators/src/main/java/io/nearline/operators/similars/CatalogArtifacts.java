package io.nearline.operators.similars;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.nearline.operators.models.BadArtifactException;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog as a published data set, for the online service's galleries and title names. Its artifact is the
 * catalog in JSON lines, one {@code {"id", "name", "facets"}} per title in id order (the form {@link CatalogReader}
 * reads, whatever format the catalog came in), stored under {@code <folder>/catalog/<version>.jsonl}; the version is
 * the start of the catalog's fingerprint, so an unchanged catalog is the same object. Its descriptor, of kind
 * {@link ArtifactKind#CATALOG} and named {@value #NAME}, goes on the {@code published} topic like a model's.
 */
public final class CatalogArtifacts {

    /** The name of the catalog's descriptors. */
    public static final String NAME = "catalog";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogArtifacts() {}

    /** The catalog's artifact: the same bytes for the same catalog. */
    public static byte[] write(Catalog catalog) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(catalog.size() * 96 + 16);
        try {
            for (CatalogTitle title : catalog.titles()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("id", title.id());
                line.put("name", title.name());
                line.put("facets", title.facets());
                out.write(JSON.writeValueAsBytes(line));
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Reads an artifact after checking its size and SHA-256 against its descriptor's. */
    public static Catalog read(byte[] bytes, ArtifactDescriptor descriptor) throws BadArtifactException {
        if (bytes.length != descriptor.getSizeBytes()) {
            throw new BadArtifactException(BadArtifactException.Reason.TRUNCATED, descriptor.getUri() + " has " + bytes.length
                    + " bytes, expected " + descriptor.getSizeBytes());
        }
        if (!ModelArtifacts.sha256(bytes).equalsIgnoreCase(descriptor.getSha256())) {
            throw new BadArtifactException(BadArtifactException.Reason.CHECKSUM_MISMATCH, descriptor.getUri()
                    + " does not match its SHA-256");
        }
        try {
            return CatalogReader.jsonLines(descriptor.getUri(), bytes);
        } catch (IOException | IllegalArgumentException e) {
            throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE, e.getMessage(), e);
        }
    }

    public static String version(Catalog catalog) {
        return catalog.fingerprint().substring(0, 16);
    }

    /** Where the catalog's artifact goes in a folder of published data. */
    public static URI location(URI folder, Catalog catalog) {
        String base = folder.toString().endsWith("/") ? folder.toString() : folder + "/";
        return URI.create(base + NAME + "/" + version(catalog) + ".jsonl");
    }

    /** The descriptor of the catalog's artifact {@code bytes} stored at {@code location}. */
    public static ArtifactDescriptor describe(Catalog catalog, byte[] bytes, URI location) {
        return ArtifactDescriptor.newBuilder()
                .setName(NAME)
                .setVersion(version(catalog))
                .setKind(ArtifactKind.CATALOG)
                .setUri(location.toString())
                .setSha256(ModelArtifacts.sha256(bytes))
                .setSizeBytes(bytes.length)
                .setTrafficShare(1.0)
                .setPublishedAt(Instant.now())
                .build();
    }

    /**
     * The published catalogs, newest first (of two published at the same instant, the later on the topic first): a
     * reader takes the first that loads, so that a damaged newest one leaves the one before it serving.
     */
    public static List<ArtifactDescriptor> newestFirst(List<ArtifactDescriptor> published) {
        List<ArtifactDescriptor> catalogs = new ArrayList<>();
        for (ArtifactDescriptor d : published) {
            if (d.getKind() == ArtifactKind.CATALOG && NAME.equals(d.getName())) {
                catalogs.add(0, d);
            }
        }
        // Stable: equal instants keep the reversed topic order.
        catalogs.sort(Comparator.comparing(ArtifactDescriptor::getPublishedAt).reversed());
        return catalogs;
    }
}
