package io.nearline.operators.similars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsUItemWithGenreFlagsNamedByUGenreAndTheYearAndDecade() throws Exception {
        Files.writeString(dir.resolve("u.genre"), "unknown|0\nAction|1\nComedy|2\n\n");
        Files.writeString(dir.resolve("u.item"), "1|Toy Story (1995)|01-Jan-1995||http://x|0|0|1\n"
                + "2|Cafe Cr\u00e8me (1994)|01-Jan-1994||http://y|0|1|1\n", Charset.forName("ISO-8859-1"));
        Catalog catalog = CatalogReader.read(dir.resolve("u.item"));
        assertThat(catalog.titles()).containsExactly(
                new CatalogTitle("1", "Toy Story (1995)", Map.of("genre", List.of("Comedy"), "year", List.of("1995"), "decade", List.of("1990s"))),
                new CatalogTitle("2", "Cafe Cr\u00e8me (1994)", Map.of("genre", List.of("Action", "Comedy"), "year", List.of("1994"),
                        "decade", List.of("1990s"))));
    }

    @Test
    void readsMoviesCsvWithQuotedTitlesAndTheTagsBesideIt() throws Exception {
        Files.writeString(dir.resolve("movies.csv"), "movieId,title,genres\n"
                + "1,Toy Story (1995),Adventure|Animation\n"
                + "11,\"American President, The (1995)\",Comedy|Drama|Romance\n"
                + "99,Untitled,(no genres listed)\n");
        Files.writeString(dir.resolve("tags.csv"), "userId,movieId,tag,timestamp\n2,1,Pixar,1\n3,1,pixar ,2\n4,11,\"politics, sort of\",3\n");
        Catalog catalog = CatalogReader.read(dir.resolve("movies.csv"));
        assertThat(catalog.titles()).containsExactly(
                new CatalogTitle("1", "Toy Story (1995)", Map.of("genre", List.of("Adventure", "Animation"), "year", List.of("1995"),
                        "decade", List.of("1990s"), "tag", List.of("pixar"))),
                new CatalogTitle("11", "American President, The (1995)", Map.of("genre", List.of("Comedy", "Drama", "Romance"),
                        "year", List.of("1995"), "decade", List.of("1990s"), "tag", List.of("politics, sort of"))),
                new CatalogTitle("99", "Untitled", Map.of()));
    }

    @Test
    void readsJsonLinesWithAnyFacets() throws Exception {
        Files.writeString(dir.resolve("catalog.jsonl"), "{\"id\": \"a\", \"name\": \"A\", \"facets\": {\"cast\": [\"x\", \"y\"], \"maturity\": \"R\"}}\n"
                + "\n{\"id\": \"b\"}\n");
        Catalog catalog = CatalogReader.read(dir.resolve("catalog.jsonl"));
        assertThat(catalog.titles()).containsExactly(
                new CatalogTitle("a", "A", Map.of("cast", List.of("x", "y"), "maturity", List.of("R"))),
                new CatalogTitle("b", "b", Map.of()));
        assertThat(catalog.facets()).containsExactly("cast", "maturity");
    }

    @Test
    void aMalformedLineIsRefusedWithItsNumber() throws Exception {
        Files.writeString(dir.resolve("catalog.jsonl"), "{\"id\": \"a\"}\n{\"name\": \"no id\"}\n");
        assertThatThrownBy(() -> CatalogReader.read(dir.resolve("catalog.jsonl"))).isInstanceOf(IOException.class)
                .hasMessage("catalog.jsonl line 2: 'id' must be a non-empty string");
        Files.writeString(dir.resolve("u.item"), "1|Short|line\n");
        assertThatThrownBy(() -> CatalogReader.read(dir.resolve("u.item"))).hasMessageStartingWith("u.item line 1: expected 24 fields");
    }

    @Test
    void aTitleListedTwiceIsRefusedAndTheFingerprintIgnoresOrder() throws Exception {
        CatalogTitle a = new CatalogTitle("a", "A", Map.of("genre", List.of("x", "y")));
        CatalogTitle b = new CatalogTitle("b", "B", Map.of("genre", List.of("y")));
        assertThat(Catalog.of(List.of(a, b)).fingerprint()).isEqualTo(Catalog.of(List.of(b,
                new CatalogTitle("a", "A", Map.of("genre", List.of("y", "x"))))).fingerprint());
        assertThat(Catalog.of(List.of(a, b)).fingerprint()).isNotEqualTo(Catalog.of(List.of(a)).fingerprint());
        assertThatThrownBy(() -> Catalog.of(List.of(a, a))).hasMessage("title a is in the catalog twice");
    }
}
