package io.nearline.operators.similars;

import java.util.regex.Pattern;

/**
 * The two versions of a similars result: the algorithm's own version (the document's {@code version}, the
 * {@code algorithm_version} of the Cassandra {@code similars} table) and the published version, which adds the
 * start of the build's key so that a build from other inputs is a new publication.
 */
public final class SimilarsVersions {

    private static final int KEY_CHARACTERS = 12;
    private static final Pattern KEY_SUFFIX = Pattern.compile("-[0-9a-f]{" + KEY_CHARACTERS + "}$");

    private SimilarsVersions() {}

    /** The version a build of {@code algorithmVersion} with this key is published as. */
    public static String published(String algorithmVersion, String key) {
        return algorithmVersion + "-" + key.substring(0, KEY_CHARACTERS);
    }

    /** The algorithm's version of a published version: what the Cassandra rows carry. */
    public static String algorithmVersion(String publishedVersion) {
        return KEY_SUFFIX.matcher(publishedVersion).find()
                ? publishedVersion.substring(0, publishedVersion.length() - KEY_CHARACTERS - 1) : publishedVersion;
    }
}
