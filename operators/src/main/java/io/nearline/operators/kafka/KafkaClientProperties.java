package io.nearline.operators.kafka;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

import java.util.Map;
import java.util.Properties;

/**
 * Extra Kafka client settings (security, timeouts, ...) passed through as
 * {@code nearline.kafka.properties.<client key>}, for example
 * {@code nearline.kafka.properties.security.protocol=SASL_SSL}.
 */
public final class KafkaClientProperties {

    public static final String PREFIX = "nearline.kafka.properties.";

    private KafkaClientProperties() {}

    public static Properties from(ReadableConfig config) {
        Properties properties = new Properties();
        Map<String, String> all = config instanceof Configuration c ? c.toMap() : config.toMap();
        all.forEach((key, value) -> {
            if (key.startsWith(PREFIX)) {
                properties.setProperty(key.substring(PREFIX.length()), value);
            }
        });
        return properties;
    }
}
