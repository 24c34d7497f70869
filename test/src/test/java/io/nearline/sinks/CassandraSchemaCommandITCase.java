package io.nearline.sinks;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import io.nearline.schemas.CqlSchema;
import io.nearline.testing.RealServices;
import io.nearline.testing.ResourceNames;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import io.nearline.topology.cli.NearlineCli;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@RealServices(Service.CASSANDRA)
class CassandraSchemaCommandITCase {

    @Test
    void schemaCommandCreatesEveryTableWithItsTtlAndCanRunAgain(TestServices services) {
        String keyspace = ResourceNames.keyspace("SchemaCommand");
        String contactPoint = services.endpoints().cassandraHostPort();
        try {
            String[] args = {"cassandra", "schema", "--contact-points", contactPoint, "--keyspace", keyspace,
                "--ttl", "trending=3h"};
            assertThat(NearlineCli.run(args)).isZero();
            assertThat(NearlineCli.run(args)).as("a second run changes nothing and succeeds").isZero();

            services.cqlSession().refreshSchema();
            KeyspaceMetadata metadata = services.cqlSession().getMetadata().getKeyspace(keyspace).orElseThrow();
            for (String table : CqlSchema.TABLES) {
                assertThat(metadata.getTable(table)).as("table %s", table).isPresent();
            }
            assertThat(metadata.getTable("trending").orElseThrow().getOptions()
                    .get(CqlIdentifier.fromCql("default_time_to_live"))).isEqualTo(3 * 3600);
            assertThat(metadata.getTable("recommendations").orElseThrow().getOptions()
                    .get(CqlIdentifier.fromCql("default_time_to_live"))).isEqualTo(30 * 24 * 3600);
        } finally {
            services.cqlSession().execute("DROP KEYSPACE IF EXISTS " + keyspace);
        }
    }

    @Test
    void badArgumentsAreRefusedWithTheirName() {
        assertThat(NearlineCli.run("cassandra", "schema", "--contact-points", "no-port")).isEqualTo(2);
        assertThat(NearlineCli.run("cassandra", "schema", "--ttl", "nothing=1d")).isEqualTo(2);
        assertThat(NearlineCli.run("cassandra", "schema", "--keyspace", "1-bad")).isEqualTo(2);
    }
}
