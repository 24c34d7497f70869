package io.nearline.serving;

import io.nearline.operators.similars.Catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The published catalog as the service reads it: titles with their names, and facets named {@code <facet>:<value>}
 * (such as {@code genre:Horror}) with the titles that carry each. Immutable once built, so that requests read it
 * without locks while a newer one is loaded.
 */
final class ServedCatalog {

    /** A facet value of the catalog: its text, the facet's number and the value's. */
    record Facet(String text, int facet, int value) {}

    /** A title as {@code GET /v1/titles} shows it. */
    record Title(String id, String name, List<String> facets) {}

    private final Catalog catalog;
    private final String version;
    private final List<String> facets;
    /** [facet][value] → the title ids carrying it, in id order. */
    private final List<String>[][] titles;

    @SuppressWarnings("unchecked")
    private ServedCatalog(Catalog catalog, String version) {
        this.catalog = catalog;
        this.version = version;
        List<String> all = new ArrayList<>();
        this.titles = new List[catalog.facets().size()][];
        for (int f = 0; f < catalog.facets().size(); f++) {
            int[][] postings = catalog.postings(f);
            titles[f] = new List[postings.length];
            for (int v = 0; v < postings.length; v++) {
                List<String> ids = new ArrayList<>(postings[v].length);
                for (int title : postings[v]) {
                    ids.add(catalog.id(title));
                }
                titles[f][v] = Collections.unmodifiableList(ids);
                if (!ids.isEmpty()) {
                    all.add(text(f, v));
                }
            }
        }
        Collections.sort(all);
        this.facets = Collections.unmodifiableList(all);
        // The catalog builds its id index on first use: here, before other threads read it.
        catalog.index("");
    }

    static ServedCatalog of(Catalog catalog, String version) {
        return new ServedCatalog(catalog, version);
    }

    String version() {
        return version;
    }

    int size() {
        return catalog.size();
    }

    /** Every facet value some title carries, as {@code <facet>:<value>}, sorted. */
    List<String> facets() {
        return facets;
    }

    /** The facet value named by {@code <facet>:<value>}, or null if no title carries it. */
    Facet facet(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        int f = catalog.facet(text.substring(0, colon));
        if (f < 0) {
            return null;
        }
        int[] value = catalog.valueNumbers(f, List.of(text.substring(colon + 1)));
        return value.length == 0 ? null : new Facet(text, f, value[0]);
    }

    /** The ids of the titles carrying the facet value, in id order. */
    List<String> titles(Facet facet) {
        return titles[facet.facet()][facet.value()];
    }

    boolean carries(String titleId, Facet facet) {
        int title = catalog.index(titleId);
        return title >= 0 && Arrays.binarySearch(catalog.values(facet.facet(), title), facet.value()) >= 0;
    }

    /** The title with its name and facet values, or null if the catalog does not have it. */
    Title title(String id) {
        int title = catalog.index(id);
        if (title < 0) {
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int f = 0; f < catalog.facets().size(); f++) {
            for (int v : catalog.values(f, title)) {
                values.add(text(f, v));
            }
        }
        return new Title(id, catalog.name(title), values);
    }

    private String text(int facet, int value) {
        return catalog.facets().get(facet) + ":" + catalog.valueName(facet, value);
    }
}
