package io.nearline.topology.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import io.nearline.operators.cassandra.CassandraConnection;
import io.nearline.operators.cassandra.CassandraOptions;
import io.nearline.schemas.CqlSchema;
import org.apache.flink.configuration.Configuration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bin/nearline cassandra schema}: creates Nearline's keyspace and tables if missing. */
@Command(name = "cassandra", mixinStandardHelpOptions = true, subcommands = {CassandraCommand.Schema.class},
        description = "Cassandra tools.")
final class CassandraCommand implements Runnable {

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command: schema");
    }

    @Command(name = "schema", mixinStandardHelpOptions = true,
            description = "Creates the keyspace and tables if they do not exist (safe to run again).")
    static final class Schema implements Callable<Integer> {

        @Option(names = "--contact-points", split = ",", description = "host:port of Cassandra nodes (default: ${DEFAULT-VALUE}).")
        List<String> contactPoints = CassandraOptions.CONTACT_POINTS.defaultValue();

        @Option(names = "--local-datacenter", description = "Data centre to use (default: ${DEFAULT-VALUE}).")
        String localDatacenter = CassandraOptions.LOCAL_DATACENTER.defaultValue();

        @Option(names = "--keyspace", description = "Keyspace (default: ${DEFAULT-VALUE}).")
        String keyspace = CassandraOptions.KEYSPACE.defaultValue();

        @Option(names = "--replication", description = "CQL replication map (default: ${DEFAULT-VALUE}).")
        String replication = CassandraOptions.REPLICATION.defaultValue();

        @Option(names = "--username", description = "User; the password comes from NEARLINE_CASSANDRA_PASSWORD.")
        String username;

        @Option(names = "--truststore", description = "Connect with TLS, trusting the certificates of this PKCS12 or JKS "
                + "truststore; its password comes from NEARLINE_CASSANDRA_TRUSTSTORE_PASSWORD.")
        String truststore;

        @Option(names = "--ttl", description = "Default TTL of a table, such as recommendations=30d (repeatable; tables: "
                + "recommendations, member_factors, trending, similars).")
        Map<String, String> ttls = Map.of();

        @Override
        public Integer call() {
            for (String point : contactPoints) {
                if (!point.matches("[^:\\s]+:\\d{1,5}")) {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                            "--contact-points: '" + point + "' is not host:port");
                }
            }
            Configuration config = new Configuration();
            config.set(CassandraOptions.CONTACT_POINTS, contactPoints);
            config.set(CassandraOptions.LOCAL_DATACENTER, localDatacenter);
            config.set(CassandraOptions.KEYSPACE, keyspace);
            if (username != null) {
                if (System.getenv(CassandraOptions.PASSWORD_ENV) == null) {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                            "--username needs the password in " + CassandraOptions.PASSWORD_ENV);
                }
                config.set(CassandraOptions.USERNAME, username);
            }
            if (truststore != null) {
                if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(truststore))) {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                            "--truststore: cannot read '" + truststore + "'");
                }
                config.set(CassandraOptions.SSL_ENABLED, true);
                config.set(CassandraOptions.SSL_TRUSTSTORE, truststore);
            }
            Map<String, Duration> tableTtls = new java.util.HashMap<>(Map.of(
                    "recommendations", CassandraOptions.RECOMMENDATIONS_TTL.defaultValue(),
                    "member_factors", CassandraOptions.MEMBER_FACTORS_TTL.defaultValue(),
                    "trending", CassandraOptions.TRENDING_TTL.defaultValue(),
                    "similars", CassandraOptions.SIMILARS_TTL.defaultValue()));
            for (Map.Entry<String, String> ttl : ttls.entrySet()) {
                if (!CqlSchema.TABLES.contains(ttl.getKey())) {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                            "--ttl: unknown table '" + ttl.getKey() + "' (one of " + CqlSchema.TABLES + ")");
                }
                try {
                    tableTtls.put(ttl.getKey(), org.apache.flink.util.TimeUtils.parseDuration(ttl.getValue()));
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(new CommandLine(this),
                            "--ttl: '" + ttl.getValue() + "' is not a duration");
                }
            }
            List<String> statements;
            CassandraConnection connection;
            try {
                statements = CqlSchema.statements(keyspace, replication, tableTtls);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--keyspace: " + e.getMessage());
            }
            try {
                connection = CassandraConnection.from(config);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
            }
            try (CqlSession session = connection.open(false)) {
                for (String statement : statements) {
                    session.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(statement)
                            .setTimeout(Duration.ofSeconds(60)));
                }
            }
            System.out.println("schema applied: keyspace " + keyspace + ", tables " + CqlSchema.TABLES);
            return 0;
        }
    }
}
