package io.nearline.operators.cassandra;

import io.nearline.operators.security.Secrets;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CassandraConnectionTest {

    @AfterEach
    void processEnvironmentAgain() {
        Secrets.useEnvironment(null);
    }

    @Test
    void passwordComesFromTheEnvironmentWhenNotConfigured() {
        Secrets.useEnvironment(Map.of("NEARLINE_CASSANDRA_PASSWORD", "from-env")::get);
        Configuration withEnvironment = new Configuration();
        withEnvironment.set(CassandraOptions.USERNAME, "nearline");
        Configuration configured = new Configuration();
        configured.set(CassandraOptions.USERNAME, "nearline");
        configured.set(CassandraOptions.PASSWORD, "from-env");

        assertThat(CassandraConnection.from(withEnvironment)).isEqualTo(CassandraConnection.from(configured));
    }

    @Test
    void userWithoutAnyPasswordIsRefusedNamingBothPlaces() {
        Secrets.useEnvironment(name -> null);
        Configuration config = new Configuration();
        config.set(CassandraOptions.USERNAME, "nearline");

        assertThatThrownBy(() -> CassandraConnection.from(config))
                .hasMessage("nearline.cassandra.username is set but neither nearline.cassandra.password nor the environment "
                        + "variable NEARLINE_CASSANDRA_PASSWORD is");
    }

    @Test
    void passwordWithoutUserIsRefused() {
        Configuration config = new Configuration();
        config.set(CassandraOptions.PASSWORD, "secret");

        assertThatThrownBy(() -> CassandraConnection.from(config))
                .hasMessage("nearline.cassandra.password is set without nearline.cassandra.username");
    }

    @Test
    void descriptionNeverShowsThePassword() {
        Configuration config = new Configuration();
        config.set(CassandraOptions.USERNAME, "nearline");
        config.set(CassandraOptions.PASSWORD, "very-secret");

        assertThat(CassandraConnection.from(config).toString()).contains("nearline").doesNotContain("very-secret");
    }
}
