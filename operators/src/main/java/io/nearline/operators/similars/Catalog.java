package io.nearline.operators.similars;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The titles of a catalog with their facets, indexed for similarity: titles are numbered in id order and each
 * facet's values are numbered, so that a title's values of a facet are a sorted int array and the titles
 * sharing a value are a posting list. Immutable; its {@link #fingerprint()} changes whenever any title or
 * value does, which is how a build knows its input is unchanged.
 */
public final class Catalog implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String[] ids;
    private final String[] names;
    private final String[] facetNames;
    /** [facet][title] → sorted value numbers. */
    private final int[][][] values;
    /** [facet][value] → the value's text. */
    private final String[][] valueNames;
    private final String fingerprint;
    private transient Map<String, Integer> byId;
    private transient int[][][] postings;

    private Catalog(String[] ids, String[] names, String[] facetNames, int[][][] values, String[][] valueNames) {
        this.ids = ids;
        this.names = names;
        this.facetNames = facetNames;
        this.values = values;
        this.valueNames = valueNames;
        this.fingerprint = computeFingerprint();
    }

    /** A catalog of these titles; a title id given twice is refused. */
    public static Catalog of(List<CatalogTitle> titles) {
        TreeMap<String, CatalogTitle> sorted = new TreeMap<>();
        TreeSet<String> facets = new TreeSet<>();
        for (CatalogTitle title : titles) {
            if (sorted.put(title.id(), title) != null) {
                throw new IllegalArgumentException("title " + title.id() + " is in the catalog twice");
            }
            facets.addAll(title.facets().keySet());
        }
        String[] ids = sorted.keySet().toArray(new String[0]);
        String[] names = new String[ids.length];
        String[] facetNames = facets.toArray(new String[0]);
        int[][][] values = new int[facetNames.length][ids.length][];
        String[][] valueNames = new String[facetNames.length][];
        for (int f = 0; f < facetNames.length; f++) {
            // Values numbered in sorted order, so numbering depends on the catalog's content only.
            TreeSet<String> all = new TreeSet<>();
            for (CatalogTitle title : sorted.values()) {
                all.addAll(title.facets().getOrDefault(facetNames[f], List.of()));
            }
            valueNames[f] = all.toArray(new String[0]);
            Map<String, Integer> number = new HashMap<>();
            for (int v = 0; v < valueNames[f].length; v++) {
                number.put(valueNames[f][v], v);
            }
            int t = 0;
            for (CatalogTitle title : sorted.values()) {
                values[f][t++] = title.facets().getOrDefault(facetNames[f], List.of()).stream()
                        .mapToInt(number::get).sorted().distinct().toArray();
            }
        }
        int t = 0;
        for (CatalogTitle title : sorted.values()) {
            names[t++] = title.name() == null ? title.id() : title.name();
        }
        return new Catalog(ids, names, facetNames, values, valueNames);
    }

    public int size() {
        return ids.length;
    }

    public String id(int title) {
        return ids[title];
    }

    public String name(int title) {
        return names[title];
    }

    /** The title's number, or -1 if it is not in the catalog. */
    public int index(String id) {
        if (byId == null) {
            Map<String, Integer> map = new HashMap<>(ids.length * 2);
            for (int i = 0; i < ids.length; i++) {
                map.put(ids[i], i);
            }
            byId = map;
        }
        return byId.getOrDefault(id, -1);
    }

    public List<String> facets() {
        return List.of(facetNames);
    }

    /** The facet's number, or -1 if no title has it. */
    public int facet(String name) {
        return Math.max(-1, Arrays.binarySearch(facetNames, name));
    }

    /** The title's values of a facet, as sorted value numbers (empty if the title has none). */
    public int[] values(int facet, int title) {
        return values[facet][title];
    }

    /** The text of a facet's value number. */
    public String valueName(int facet, int value) {
        return valueNames[facet][value];
    }

    /** The value numbers of these facet values; values no title has are left out. */
    public int[] valueNumbers(int facet, List<String> texts) {
        return texts.stream().mapToInt(text -> Arrays.binarySearch(valueNames[facet], text)).filter(v -> v >= 0).sorted().toArray();
    }

    /** The titles having each value of a facet: [value] → title numbers in order. */
    public int[][] postings(int facet) {
        if (postings == null) {
            postings = new int[facetNames.length][][];
        }
        if (postings[facet] == null) {
            int[] counts = new int[valueNames[facet].length];
            for (int[] titleValues : values[facet]) {
                for (int v : titleValues) {
                    counts[v]++;
                }
            }
            int[][] lists = new int[counts.length][];
            for (int v = 0; v < counts.length; v++) {
                lists[v] = new int[counts[v]];
            }
            int[] filled = new int[counts.length];
            for (int t = 0; t < ids.length; t++) {
                for (int v : values[facet][t]) {
                    lists[v][filled[v]++] = t;
                }
            }
            postings[facet] = lists;
        }
        return postings[facet];
    }

    /** Hex SHA-256 over every title, facet and value: equal for equal catalogs, whatever order they were read in. */
    public String fingerprint() {
        return fingerprint;
    }

    private String computeFingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (int t = 0; t < ids.length; t++) {
                update(digest, ids[t]);
                update(digest, names[t]);
                for (int f = 0; f < facetNames.length; f++) {
                    update(digest, facetNames[f]);
                    for (int v : values[f][t]) {
                        update(digest, valueNames[f][v]);
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update((byte) (bytes.length >>> 24));
        digest.update((byte) (bytes.length >>> 16));
        digest.update((byte) (bytes.length >>> 8));
        digest.update((byte) bytes.length);
        digest.update(bytes);
    }

    /** The catalog's titles back as records (for tools and tests). */
    public List<CatalogTitle> titles() {
        List<CatalogTitle> titles = new ArrayList<>(ids.length);
        for (int t = 0; t < ids.length; t++) {
            Map<String, List<String>> facets = new TreeMap<>();
            for (int f = 0; f < facetNames.length; f++) {
                if (values[f][t].length > 0) {
                    List<String> texts = new ArrayList<>();
                    for (int v : values[f][t]) {
                        texts.add(valueNames[f][v]);
                    }
                    facets.put(facetNames[f], texts);
                }
            }
            titles.add(new CatalogTitle(ids[t], names[t], facets));
        }
        return titles;
    }
}
