package io.nearline.operators.similars;

import java.util.List;
import java.util.Map;

/** Five titles whose similarities are easy to work out by hand, and four members' viewing. */
final class SmallCatalog {

    private SmallCatalog() {}

    static Catalog catalog() {
        return Catalog.of(List.of(
                title("t1", List.of("Drama", "War"), "1990s", "R", List.of("US", "GB")),
                title("t2", List.of("Drama"), "1990s", "PG", List.of("US")),
                title("t3", List.of("War", "Action"), "1980s", "R", List.of("FR")),
                title("t4", List.of("Comedy"), "1990s", "PG", List.of("US")),
                title("t5", List.of("Drama", "War"), "2000s", "NC-17", List.of("US"))));
    }

    /** t1 and t4 are watched together by two members, t1 and t2 by one. */
    static CoWatch coWatch(Catalog catalog) {
        return new CoWatch.Builder(catalog)
                .add("m1", "t1").add("m1", "t4")
                .add("m2", "t1").add("m2", "t4").add("m2", "t4")
                .add("m3", "t1").add("m3", "t2")
                .add("m4", "t4")
                .add("m4", "not-in-the-catalog")
                .build();
    }

    static AlgorithmSpec spec(String yaml) throws InvalidAlgorithmException {
        return AlgorithmDocuments.parse("test.yaml", yaml);
    }

    private static CatalogTitle title(String id, List<String> genres, String decade, String maturity, List<String> regions) {
        return new CatalogTitle(id, id.toUpperCase(), Map.of("genre", genres, "decade", List.of(decade),
                "maturity", List.of(maturity), "region", regions));
    }
}
