package io.nearline.operators.similars;

import io.nearline.operators.models.BadArtifactException;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogArtifactsTest {

    private final Catalog catalog = SmallCatalog.catalog();

    @Test
    void aPublishedCatalogReadsBackWithEveryTitleNameAndFacet() throws Exception {
        byte[] bytes = CatalogArtifacts.write(catalog);
        ArtifactDescriptor descriptor = CatalogArtifacts.describe(catalog, bytes,
                CatalogArtifacts.location(URI.create("file:///data/published"), catalog));

        Catalog read = CatalogArtifacts.read(bytes, descriptor);

        assertThat(read.titles()).isEqualTo(catalog.titles());
        assertThat(read.fingerprint()).isEqualTo(catalog.fingerprint());
        assertThat(descriptor.getKind()).isEqualTo(ArtifactKind.CATALOG);
        assertThat(descriptor.getUri()).isEqualTo("file:///data/published/catalog/" + descriptor.getVersion() + ".jsonl");
    }

    @Test
    void theSameCatalogIsTheSameBytesAndVersion() {
        List<CatalogTitle> reversed = new java.util.ArrayList<>(catalog.titles());
        java.util.Collections.reverse(reversed);
        Catalog again = Catalog.of(reversed);

        assertThat(CatalogArtifacts.write(again)).isEqualTo(CatalogArtifacts.write(catalog));
        assertThat(CatalogArtifacts.version(again)).isEqualTo(CatalogArtifacts.version(catalog));
    }

    @Test
    void aDamagedCatalogIsRefusedByItsChecksum() {
        byte[] bytes = CatalogArtifacts.write(catalog);
        ArtifactDescriptor descriptor = CatalogArtifacts.describe(catalog, bytes, URI.create("file:///c.jsonl"));
        bytes[3] ^= 1;

        assertThatThrownBy(() -> CatalogArtifacts.read(bytes, descriptor)).isInstanceOf(BadArtifactException.class)
                .satisfies(e -> assertThat(((BadArtifactException) e).reason()).isEqualTo(BadArtifactException.Reason.CHECKSUM_MISMATCH));
    }

    @Test
    void aTruncatedCatalogIsRefusedBySize() {
        byte[] bytes = CatalogArtifacts.write(catalog);
        ArtifactDescriptor descriptor = CatalogArtifacts.describe(catalog, bytes, URI.create("file:///c.jsonl"));

        assertThatThrownBy(() -> CatalogArtifacts.read(java.util.Arrays.copyOf(bytes, bytes.length - 1), descriptor))
                .isInstanceOf(BadArtifactException.class).hasMessageContaining("expected " + bytes.length);
    }

    @Test
    void catalogsComeNewestFirstAndOtherKindsDoNotCount() {
        ArtifactDescriptor older = descriptor("c1", ArtifactKind.CATALOG, 1);
        ArtifactDescriptor newer = descriptor("c2", ArtifactKind.CATALOG, 2);
        ArtifactDescriptor sameTimeLater = descriptor("c3", ArtifactKind.CATALOG, 2);
        ArtifactDescriptor model = descriptor("m9", ArtifactKind.MODEL, 9);

        assertThat(CatalogArtifacts.newestFirst(List.of(newer, older, model))).containsExactly(newer, older);
        assertThat(CatalogArtifacts.newestFirst(List.of(older, newer, sameTimeLater))).containsExactly(sameTimeLater, newer, older);
        assertThat(CatalogArtifacts.newestFirst(List.of(model))).isEmpty();
    }

    private static ArtifactDescriptor descriptor(String version, ArtifactKind kind, long publishedAt) {
        return ArtifactDescriptor.newBuilder().setName(kind == ArtifactKind.CATALOG ? CatalogArtifacts.NAME : "als")
                .setVersion(version).setKind(kind).setUri("file:///x").setSha256("0").setSizeBytes(0)
                .setPublishedAt(Instant.ofEpochMilli(publishedAt)).build();
    }
}
