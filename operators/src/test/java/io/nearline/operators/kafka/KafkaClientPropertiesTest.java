package io.nearline.operators.kafka;

import io.nearline.operators.security.Secrets;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaClientPropertiesTest {

    @AfterEach
    void processEnvironmentAgain() {
        Secrets.useEnvironment(null);
    }

    @Test
    void noSecuritySettingsMeanPlaintext() {
        assertThat(KafkaClientProperties.from(new Configuration())).isEmpty();
    }

    @Test
    void saslUserOverTlsBecomesScramOverSaslSsl() {
        Configuration config = new Configuration();
        config.set(KafkaOptions.SASL_USERNAME, "nearline");
        config.set(KafkaOptions.SASL_PASSWORD, "pa\"ss\\word");
        config.set(KafkaOptions.SSL_ENABLED, true);
        config.set(KafkaOptions.SSL_TRUSTSTORE, "/etc/nearline/trust.p12");
        config.set(KafkaOptions.SSL_TRUSTSTORE_PASSWORD, "store-secret");

        Properties properties = KafkaClientProperties.from(config);

        assertThat(properties)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"nearline\" password=\"pa\\\"ss\\\\word\";")
                .containsEntry("ssl.truststore.location", "/etc/nearline/trust.p12")
                .containsEntry("ssl.truststore.type", "PKCS12")
                .containsEntry("ssl.truststore.password", "store-secret");
    }

    @Test
    void passwordsComeFromTheEnvironmentWhenNotConfigured() {
        Secrets.useEnvironment(Map.of("NEARLINE_KAFKA_PASSWORD", "from-env",
                "NEARLINE_KAFKA_TRUSTSTORE_PASSWORD", "store-from-env")::get);
        Configuration config = new Configuration();
        config.set(KafkaOptions.SASL_USERNAME, "nearline");
        config.set(KafkaOptions.SSL_ENABLED, true);
        config.set(KafkaOptions.SSL_TRUSTSTORE, "/etc/nearline/trust.jks");

        Properties properties = KafkaClientProperties.from(config);

        assertThat(properties.getProperty("sasl.jaas.config")).contains("password=\"from-env\"");
        assertThat(properties).containsEntry("ssl.truststore.password", "store-from-env")
                .containsEntry("ssl.truststore.type", "JKS");
    }

    @Test
    void userWithoutAnyPasswordIsRefusedNamingBothPlaces() {
        Secrets.useEnvironment(name -> null);
        Configuration config = new Configuration();
        config.set(KafkaOptions.SASL_USERNAME, "nearline");

        assertThatThrownBy(() -> KafkaClientProperties.from(config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nearline.kafka.sasl.username is set but neither nearline.kafka.sasl.password nor the "
                        + "environment variable NEARLINE_KAFKA_PASSWORD is");
    }

    @Test
    void unknownMechanismIsNamed() {
        Configuration config = new Configuration();
        config.set(KafkaOptions.SASL_USERNAME, "nearline");
        config.set(KafkaOptions.SASL_PASSWORD, "secret");
        config.set(KafkaOptions.SASL_MECHANISM, "GSSAPI");

        assertThatThrownBy(() -> KafkaClientProperties.from(config))
                .hasMessageStartingWith("nearline.kafka.sasl.mechanism: unknown mechanism 'GSSAPI'");
    }

    @Test
    void saslWithoutTlsIsSaslPlaintextAndPassThroughSettingsWin() {
        Configuration config = new Configuration();
        config.set(KafkaOptions.SASL_USERNAME, "nearline");
        config.set(KafkaOptions.SASL_PASSWORD, "secret");
        config.setString("nearline.kafka.properties.sasl.mechanism", "SCRAM-SHA-256");
        config.setString("nearline.kafka.properties.request.timeout.ms", "60000");

        Properties properties = KafkaClientProperties.from(config);

        assertThat(properties).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
                .containsEntry("request.timeout.ms", "60000");
    }
}
