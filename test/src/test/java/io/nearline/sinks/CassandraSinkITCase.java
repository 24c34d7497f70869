package io.nearline.sinks;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import io.nearline.operators.cassandra.CassandraOptions;
import io.nearline.operators.cassandra.CassandraRowMapper;
import io.nearline.operators.cassandra.CassandraSink;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.external.ExternalSystemDataReader;
import org.apache.flink.connector.testframe.external.sink.TestingSinkSettings;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.connector.testframe.testsuites.SinkTestSuiteBase;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Flink's standard sink cases (basic, savepoint restore, scale up and down, metrics) for our Cassandra sink. */
@RealServices(Service.CASSANDRA)
@Timeout(value = 3, unit = TimeUnit.MINUTES) // the suite waits for its results without a limit
class CassandraSinkITCase extends SinkTestSuiteBase<SinkTestRow> {

    private static TestServices services;

    @TestEnv
    MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    // The sink is idempotent (upserts by key), so the table ends up exact under either mode.
    @TestSemantics
    CheckpointingMode[] semantics = {CheckpointingMode.EXACTLY_ONCE, CheckpointingMode.AT_LEAST_ONCE};

    @TestContext
    ExternalContextFactory<Context> contexts = testName -> new Context(services, testName);

    @BeforeAll
    static void createTable(TestServices testServices) {
        services = testServices;
        services.keyspaceSession().execute("CREATE TABLE IF NOT EXISTS sink_test (id text PRIMARY KEY, value int)");
    }

    /**
     * Writes to sink_test of the class keyspace; reads back each row of this context's own test data once
     * (the table is shared by the test cases, which may be given one context or several).
     */
    static final class Context extends TrackingSinkContext {
        private final TestServices services;

        Context(TestServices services, String testName) {
            this.services = services;
        }

        @Override
        public Sink<SinkTestRow> createSink(TestingSinkSettings settings) {
            Configuration config = new Configuration();
            config.set(CassandraOptions.CONTACT_POINTS, List.of(services.endpoints().cassandraHostPort()));
            config.set(CassandraOptions.KEYSPACE, services.keyspace());
            config.set(CassandraOptions.CONSISTENCY, "LOCAL_ONE");
            // The suite reads Cassandra right after a stop-with-savepoint. With write-behind the rows held at the stop
            // are in the savepoint and written by the job restored from it (CassandraSinkContractITCase checks that
            // write-behind writes the newest row, at the interval's end and at the end of the input).
            config.set(CassandraOptions.WRITE_BEHIND, Duration.ZERO);
            return CassandraSink.of(new Mapper(), config);
        }

        @Override
        public ExternalSystemDataReader<SinkTestRow> createSinkDataReader(TestingSinkSettings settings) {
            CqlSession session = services.keyspaceSession();
            Set<String> returned = new HashSet<>();
            return new ExternalSystemDataReader<>() {
                @Override
                public List<SinkTestRow> poll(Duration timeout) {
                    List<SinkTestRow> rows = new ArrayList<>();
                    for (Row row : session.execute("SELECT id, value FROM sink_test")) {
                        String id = row.getString("id");
                        if (generatedIds().contains(id) && returned.add(id)) {
                            rows.add(new SinkTestRow(row.getString("id"), row.getInt("value")));
                        }
                    }
                    return rows;
                }

                @Override
                public void close() {}
            };
        }
    }

    static final class Mapper implements CassandraRowMapper<SinkTestRow> {
        @Override
        public String table() {
            return "sink_test";
        }

        @Override
        public List<String> columns() {
            return List.of("id", "value");
        }

        @Override
        public int partitionKeyColumns() {
            return 1;
        }

        @Override
        public Object[] values(SinkTestRow row) {
            return new Object[] {row.id(), row.value()};
        }
    }
}
