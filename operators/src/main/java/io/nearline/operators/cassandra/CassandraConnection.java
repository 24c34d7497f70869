package io.nearline.operators.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import io.nearline.operators.security.Secrets;
import org.apache.flink.configuration.ReadableConfig;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;

/** How to reach Cassandra: serializable, so that sinks carry it to their subtasks, which open sessions from it. */
public final class CassandraConnection implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> contactPoints;
    private final String localDatacenter;
    private final String keyspace;
    private final String consistency;
    private final String username;
    private final String password;
    private final boolean ssl;
    private final String truststore;
    private final String truststorePassword;
    private final boolean hostnameValidation;
    private final Duration requestTimeout;

    private CassandraConnection(ReadableConfig config) {
        this.contactPoints = config.get(CassandraOptions.CONTACT_POINTS);
        this.localDatacenter = config.get(CassandraOptions.LOCAL_DATACENTER);
        this.keyspace = config.get(CassandraOptions.KEYSPACE);
        this.consistency = config.get(CassandraOptions.CONSISTENCY);
        this.username = config.getOptional(CassandraOptions.USERNAME).orElse(null);
        this.password = username == null ? null
                : Secrets.get(config, CassandraOptions.PASSWORD, CassandraOptions.PASSWORD_ENV).orElse(null);
        this.ssl = config.get(CassandraOptions.SSL_ENABLED);
        this.truststore = config.getOptional(CassandraOptions.SSL_TRUSTSTORE).orElse(null);
        this.truststorePassword = Secrets.get(config, CassandraOptions.SSL_TRUSTSTORE_PASSWORD,
                CassandraOptions.SSL_TRUSTSTORE_PASSWORD_ENV).orElse(null);
        this.hostnameValidation = config.get(CassandraOptions.SSL_HOSTNAME_VALIDATION);
        this.requestTimeout = config.get(CassandraOptions.REQUEST_TIMEOUT);
    }

    /** Reads and checks the connection settings; a bad one fails here with a message naming it. */
    public static CassandraConnection from(ReadableConfig config) {
        CassandraConnection connection = new CassandraConnection(config);
        if (connection.contactPoints.isEmpty()) {
            throw new IllegalArgumentException(CassandraOptions.CONTACT_POINTS.key() + " is empty");
        }
        connection.contactPoints.forEach(CassandraConnection::address);
        if (connection.username == null && config.getOptional(CassandraOptions.PASSWORD).isPresent()) {
            throw new IllegalArgumentException(CassandraOptions.PASSWORD.key() + " is set without "
                    + CassandraOptions.USERNAME.key());
        }
        if (connection.username != null && connection.password == null) {
            throw new IllegalArgumentException(CassandraOptions.USERNAME.key() + " is set but neither "
                    + CassandraOptions.PASSWORD.key() + " nor the environment variable " + CassandraOptions.PASSWORD_ENV
                    + " is");
        }
        try {
            com.datastax.oss.driver.api.core.DefaultConsistencyLevel.valueOf(connection.consistency);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CassandraOptions.CONSISTENCY.key() + ": unknown level '"
                    + connection.consistency + "'");
        }
        return connection;
    }

    public String keyspace() {
        return keyspace;
    }

    /** Opens a session, with the keyspace as its default if {@code useKeyspace}. */
    public CqlSession open(boolean useKeyspace) {
        CqlSessionBuilder builder = CqlSession.builder()
                .withLocalDatacenter(localDatacenter)
                .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
                        .withString(DefaultDriverOption.REQUEST_CONSISTENCY, consistency)
                        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
                        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(5))
                        .withInt(DefaultDriverOption.CONNECTION_POOL_LOCAL_SIZE, 2)
                        .withInt(DefaultDriverOption.CONNECTION_MAX_REQUESTS, 2048)
                        .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(500))
                        .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(5))
                        .build());
        contactPoints.forEach(point -> builder.addContactPoint(address(point)));
        if (username != null) {
            builder.withAuthCredentials(username, password);
        }
        if (ssl) {
            builder.withSslEngineFactory(new ProgrammaticSslEngineFactory(sslContext(), null, hostnameValidation));
        }
        if (useKeyspace) {
            builder.withKeyspace(keyspace);
        }
        return builder.build();
    }

    private SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (truststore == null) {
                context.init(null, null, null);
                return context;
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType().equals("jks") && truststore.endsWith(".p12")
                    ? "PKCS12" : KeyStore.getDefaultType());
            try (InputStream in = Files.newInputStream(Path.of(truststore))) {
                store.load(in, truststorePassword == null ? null : truststorePassword.toCharArray());
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalArgumentException(CassandraOptions.SSL_TRUSTSTORE.key() + ": cannot use '" + truststore + "': "
                    + e.getMessage(), e);
        }
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try {
            if (colon <= 0) {
                throw new NumberFormatException();
            }
            return InetSocketAddress.createUnresolved(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(CassandraOptions.CONTACT_POINTS.key() + ": '" + hostPort
                    + "' is not host:port");
        }
    }

    /** Equal settings, one shared session (see SharedSessions). */
    @Override
    public boolean equals(Object o) {
        return o instanceof CassandraConnection c && contactPoints.equals(c.contactPoints) && localDatacenter.equals(c.localDatacenter)
                && keyspace.equals(c.keyspace) && consistency.equals(c.consistency) && java.util.Objects.equals(username, c.username)
                && java.util.Objects.equals(password, c.password) && ssl == c.ssl && java.util.Objects.equals(truststore, c.truststore)
                && java.util.Objects.equals(truststorePassword, c.truststorePassword)
                && hostnameValidation == c.hostnameValidation && requestTimeout.equals(c.requestTimeout);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(contactPoints, localDatacenter, keyspace, consistency, username, ssl, truststore, requestTimeout);
    }

    @Override
    public String toString() {
        return "Cassandra " + contactPoints + " keyspace " + keyspace + (username == null ? "" : " as " + username);
    }
}
