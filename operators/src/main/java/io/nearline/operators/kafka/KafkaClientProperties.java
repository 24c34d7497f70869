package io.nearline.operators.kafka;

import io.nearline.operators.security.Secrets;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The Kafka client settings every Nearline client shares: security from the {@code nearline.kafka.sasl.*} and
 * {@code nearline.kafka.ssl.*} options, then any client setting passed through as
 * {@code nearline.kafka.properties.<client key>} (these win), for example
 * {@code nearline.kafka.properties.request.timeout.ms=60000}.
 */
public final class KafkaClientProperties {

    public static final String PREFIX = "nearline.kafka.properties.";

    private KafkaClientProperties() {}

    public static Properties from(ReadableConfig config) {
        Properties properties = new Properties();
        security(config, properties);
        Map<String, String> all = config instanceof Configuration c ? c.toMap() : config.toMap();
        all.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                properties.setProperty(key.substring(PREFIX.length()), value);
            }
        });
        return properties;
    }

    private static void security(ReadableConfig config, Properties properties) {
        Optional<String> user = config.getOptional(KafkaOptions.SASL_USERNAME);
        boolean ssl = config.get(KafkaOptions.SSL_ENABLED);
        if (user.isPresent()) {
            String password = Secrets.get(config, KafkaOptions.SASL_PASSWORD, KafkaOptions.SASL_PASSWORD_ENV)
                    .orElseThrow(() -> new IllegalArgumentException(KafkaOptions.SASL_USERNAME.key() + " is set but neither "
                            + KafkaOptions.SASL_PASSWORD.key() + " nor the environment variable "
                            + KafkaOptions.SASL_PASSWORD_ENV + " is"));
            String mechanism = config.get(KafkaOptions.SASL_MECHANISM).toUpperCase(Locale.ROOT);
            String loginModule = switch (mechanism) {
                case "SCRAM-SHA-256", "SCRAM-SHA-512" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
                case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
                default -> throw new IllegalArgumentException(KafkaOptions.SASL_MECHANISM.key() + ": unknown mechanism '"
                        + mechanism + "' (SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN)");
            };
            properties.setProperty("security.protocol", ssl ? "SASL_SSL" : "SASL_PLAINTEXT");
            properties.setProperty("sasl.mechanism", mechanism);
            properties.setProperty("sasl.jaas.config", loginModule + " required username=\"" + jaasQuoted(user.get())
                    + "\" password=\"" + jaasQuoted(password) + "\";");
        } else if (ssl) {
            properties.setProperty("security.protocol", "SSL");
        }
        if (ssl) {
            config.getOptional(KafkaOptions.SSL_TRUSTSTORE).ifPresent(path -> {
                properties.setProperty("ssl.truststore.location", path);
                String lower = path.toLowerCase(Locale.ROOT);
                properties.setProperty("ssl.truststore.type", lower.endsWith(".p12") || lower.endsWith(".pfx") ? "PKCS12" : "JKS");
                Secrets.get(config, KafkaOptions.SSL_TRUSTSTORE_PASSWORD, KafkaOptions.SSL_TRUSTSTORE_PASSWORD_ENV)
                        .ifPresent(password -> properties.setProperty("ssl.truststore.password", password));
            });
        }
    }

    /** A value inside double quotes of a JAAS configuration: backslash and quote escaped. */
    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
