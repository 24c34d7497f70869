package io.nearline.topology;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import io.nearline.operators.cassandra.CassandraConnection;
import io.nearline.operators.cassandra.CassandraOptions;
import io.nearline.operators.config.JobOptions;
import io.nearline.operators.kafka.KafkaClientProperties;
import io.nearline.operators.kafka.KafkaOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Before the job starts, reaches Kafka and Cassandra once with the job's credentials and TLS settings, so that a
 * wrong password or truststore fails the submission at once with one line, rather than failing tasks over and over.
 * A store that does not answer only gets a warning: it may come up later, and the job's clients retry.
 */
public final class ConnectionCheck {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionCheck.class);
    private static final int TIMEOUT_MS = 10_000;

    private ConnectionCheck() {}

    /** Runs the checks that apply to this configuration; throws {@link IllegalArgumentException} on a refusal. */
    public static void run(ReadableConfig config) {
        if (!config.get(JobOptions.CHECK_CONNECTIONS)) {
            return;
        }
        kafka(config);
        if (config.get(JobOptions.RESULT_SINKS).contains(JobOptions.ResultSink.CASSANDRA)) {
            cassandra(config);
        }
    }

    static void kafka(ReadableConfig config) {
        String servers = config.get(KafkaOptions.BOOTSTRAP_SERVERS);
        Properties properties = KafkaClientProperties.from(config);
        properties.setProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
        properties.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT_MS));
        properties.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT_MS));
        properties.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "nearline-connection-check");
        try (Admin admin = Admin.create(properties)) {
            admin.describeCluster().clusterId().get(TIMEOUT_MS + 2_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.AuthenticationException
                    || e.getCause() instanceof org.apache.kafka.common.errors.AuthorizationException) {
                throw new IllegalArgumentException("Kafka at " + servers + " refused the connection: "
                        + oneLine(e.getCause()), e.getCause());
            }
            LOG.warn("Kafka at {} did not answer the connection check ({}); starting anyway", servers, oneLine(e.getCause()));
        } catch (KafkaException e) {
            // The client could not even be made: a truststore that cannot be read, a malformed setting.
            throw new IllegalArgumentException("Kafka client settings: " + oneLine(e), e);
        } catch (TimeoutException e) {
            LOG.warn("Kafka at {} did not answer the connection check within {} ms; starting anyway", servers, TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the connection to Kafka", e);
        }
    }

    static void cassandra(ReadableConfig config) {
        CassandraConnection connection = CassandraConnection.from(config);
        List<String> points = config.get(CassandraOptions.CONTACT_POINTS);
        try (CqlSession ignored = connection.open(false)) {
            LOG.info("{}: connection check passed", connection);
        } catch (AllNodesFailedException e) {
            for (List<Throwable> errors : e.getAllErrors().values()) {
                for (Throwable error : errors) {
                    Throwable refusal = refusal(error);
                    if (refusal != null) {
                        throw new IllegalArgumentException("Cassandra at " + String.join(",", points)
                                + " refused the connection: " + oneLine(refusal), e);
                    }
                }
            }
            LOG.warn("Cassandra at {} did not answer the connection check ({}); starting anyway", points, oneLine(e));
        } catch (AuthenticationException e) {
            throw new IllegalArgumentException("Cassandra at " + String.join(",", points) + " refused the connection: "
                    + oneLine(e), e);
        }
    }

    /**
     * The cause that says the node refused us: wrong credentials, or a TLS handshake that failed (untrusted
     * certificate, wrong host name); null when the error is of another kind (such as no answer).
     */
    private static Throwable refusal(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof SSLException) {
                return t;
            }
        }
        return null;
    }

    private static String oneLine(Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
