package io.nearline.operators.similars;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which members watched which catalog titles, as int arrays both ways, for co-watch similarity: the cosine
 * of two titles' audiences, |A ∩ B| / sqrt(|A| |B|). Titles outside the catalog are left out.
 */
public final class CoWatch {

    private static final CoWatch NONE = new CoWatch(new int[0][], new int[0][], "none");

    private final int[][] memberTitles;
    private final int[][] titleMembers;
    private final String fingerprint;

    private CoWatch(int[][] memberTitles, int[][] titleMembers, String fingerprint) {
        this.memberTitles = memberTitles;
        this.titleMembers = titleMembers;
        this.fingerprint = fingerprint;
    }

    public static CoWatch none() {
        return NONE;
    }

    /** The audience of a title: how many members watched it. */
    public int audience(int title) {
        return title < titleMembers.length ? titleMembers[title].length : 0;
    }

    /**
     * Adds, for every title, how many members watched both it and {@code title}, into {@code counts}; each
     * title whose count goes from 0 to 1 is appended to {@code touched}, whose new size is returned.
     */
    public int coCounts(int title, int[] counts, int[] touched, int size) {
        if (title >= titleMembers.length) {
            return size;
        }
        for (int member : titleMembers[title]) {
            for (int other : memberTitles[member]) {
                if (counts[other]++ == 0) {
                    touched[size++] = other;
                }
            }
        }
        return size;
    }

    public int members() {
        return memberTitles.length;
    }

    /** Hex SHA-256 of the (member, title) pairs: equal for equal data, whatever order it arrived in. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Collects (member, title) pairs; repeats count once. */
    public static final class Builder {
        private final Catalog catalog;
        private final Map<String, java.util.BitSet> byMember = new HashMap<>();

        public Builder(Catalog catalog) {
            this.catalog = catalog;
        }

        public Builder add(String member, String title) {
            int t = catalog.index(title);
            if (t >= 0) {
                byMember.computeIfAbsent(member, m -> new java.util.BitSet(catalog.size())).set(t);
            }
            return this;
        }

        public CoWatch build() {
            if (byMember.isEmpty()) {
                return none();
            }
            TreeMap<String, java.util.BitSet> sorted = new TreeMap<>(byMember);
            int[][] memberTitles = new int[sorted.size()][];
            int[] audience = new int[catalog.size()];
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            int m = 0;
            for (Map.Entry<String, java.util.BitSet> entry : sorted.entrySet()) {
                int[] titles = entry.getValue().stream().toArray();
                memberTitles[m++] = titles;
                digest.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                for (int t : titles) {
                    audience[t]++;
                    digest.update(catalog.id(t).getBytes(StandardCharsets.UTF_8));
                    digest.update((byte) 1);
                }
            }
            int[][] titleMembers = new int[catalog.size()][];
            for (int t = 0; t < titleMembers.length; t++) {
                titleMembers[t] = new int[audience[t]];
            }
            Arrays.fill(audience, 0);
            for (m = 0; m < memberTitles.length; m++) {
                for (int t : memberTitles[m]) {
                    titleMembers[t][audience[t]++] = m;
                }
            }
            return new CoWatch(memberTitles, titleMembers, HexFormat.of().formatHex(digest.digest()));
        }
    }
}
