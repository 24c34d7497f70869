package io.nearline.schemas;

import org.apache.avro.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The earlier versions of a schema kept in {@code io/nearline/schemas/history/<name>-v<n>.avsc}, so that readers
 * of single-object encoded data resolve every version by fingerprint without a registry server.
 */
final class SchemaHistory {

    private static final String HISTORY = "/io/nearline/schemas/history/%s-v%d.avsc";

    private SchemaHistory() {}

    /** The kept versions of {@code name}, oldest first (the current one is not among them). */
    static List<Schema> older(String name) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            try (InputStream in = SchemaHistory.class.getResourceAsStream(String.format(HISTORY, name, version))) {
                if (in == null) {
                    return Collections.unmodifiableList(versions);
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + name + " schema version " + version, e);
            }
        }
    }
}
