package io.nearline.schemas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Nearline's CQL schema ({@code io/nearline/schemas/cql/schema.cql}) with its keyspace, replication and TTLs filled in. */
public final class CqlSchema {

    /** Tables whose default TTL can be set, by table name. */
    public static final List<String> TABLES = List.of("recommendations", "member_factors", "trending", "similars");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");
    private static final Pattern KEYSPACE_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,47}");

    private CqlSchema() {}

    /**
     * The statements that create the keyspace and tables if they do not exist.
     *
     * @param replication a CQL replication map, such as {@code {'class': 'SimpleStrategy', 'replication_factor': 1}}
     * @param ttls default time to live per table; a table not named gets none (0)
     */
    public static List<String> statements(String keyspace, String replication, Map<String, Duration> ttls) {
        if (!KEYSPACE_NAME.matcher(keyspace).matches()) {
            throw new IllegalArgumentException("keyspace '" + keyspace + "' is not a valid Cassandra name");
        }
        String text = template();
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder filled = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value;
            if (name.equals("keyspace")) {
                value = keyspace;
            } else if (name.equals("replication")) {
                value = replication;
            } else if (name.endsWith("_ttl") && TABLES.contains(name.substring(0, name.length() - 4))) {
                value = Long.toString(ttls.getOrDefault(name.substring(0, name.length() - 4), Duration.ZERO).toSeconds());
            } else {
                throw new IllegalStateException("unknown placeholder ${" + name + "} in schema.cql");
            }
            matcher.appendReplacement(filled, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(filled);
        List<String> statements = new ArrayList<>();
        for (String statement : filled.toString().replaceAll("(?m)^--.*$", "").split(";")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
    }

    private static String template() {
        try (InputStream in = CqlSchema.class.getResourceAsStream("/io/nearline/schemas/cql/schema.cql")) {
            if (in == null) {
                throw new IllegalStateException("schema.cql is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
