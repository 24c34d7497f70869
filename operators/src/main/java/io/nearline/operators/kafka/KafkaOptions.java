package io.nearline.operators.kafka;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** Settings of the Kafka topics the nearline job reads and writes. */
public final class KafkaOptions {

    /** The environment variables the secrets below fall back to. */
    public static final String SASL_PASSWORD_ENV = "NEARLINE_KAFKA_PASSWORD";
    public static final String SSL_TRUSTSTORE_PASSWORD_ENV = "NEARLINE_KAFKA_TRUSTSTORE_PASSWORD";

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("nearline.kafka.bootstrap-servers")
            .stringType()
            .defaultValue("127.0.0.1:9092")
            .withDescription("Kafka brokers, host:port[,host:port...].");

    public static final ConfigOption<String> EVENTS_TOPIC = ConfigOptions.key("nearline.kafka.events-topic")
            .stringType()
            .defaultValue("ui-events")
            .withDescription("The topic of UI events (Avro single-object encoding).");

    public static final ConfigOption<String> DEAD_LETTER_TOPIC = ConfigOptions.key("nearline.kafka.dead-letter-topic")
            .stringType()
            .defaultValue("ui-events-dlq")
            .withDescription("Where records that are not valid events go, with their original bytes and the reason "
                    + "in headers.");

    public static final ConfigOption<String> GROUP_ID = ConfigOptions.key("nearline.kafka.group-id")
            .stringType()
            .defaultValue("nearline")
            .withDescription("The consumer group; offsets are committed on checkpoints, for monitoring only (the "
                    + "job restores its position from its own state).");

    public static final ConfigOption<Boolean> START_FROM_EARLIEST = ConfigOptions.key("nearline.kafka.start-from-earliest")
            .booleanType()
            .defaultValue(true)
            .withDescription("On a first start without committed offsets, read from the earliest record (true) or "
                    + "only new ones (false).");

    public static final ConfigOption<DeliveryGuarantee> DEAD_LETTER_DELIVERY = ConfigOptions
            .key("nearline.kafka.dead-letter-delivery")
            .enumType(DeliveryGuarantee.class)
            .defaultValue(DeliveryGuarantee.AT_LEAST_ONCE)
            .withDescription("Delivery guarantee of the dead-letter topic. AT_LEAST_ONCE may repeat a dead letter "
                    + "after a restore; EXACTLY_ONCE uses transactions, and readers then need read_committed.");

    public static final ConfigOption<String> SASL_USERNAME = ConfigOptions.key("nearline.kafka.sasl.username")
            .stringType()
            .noDefaultValue()
            .withDescription("User to authenticate as with SASL; none means no SASL. Applies to every Kafka client of "
                    + "Nearline (sources, sinks, publishing).");

    public static final ConfigOption<String> SASL_PASSWORD = ConfigOptions.key("nearline.kafka.sasl.password")
            .stringType()
            .noDefaultValue()
            .withDescription("Password of the SASL user; if unset, the environment variable " + SASL_PASSWORD_ENV
                    + " of the process that builds the job. Never logged.");

    public static final ConfigOption<String> SASL_MECHANISM = ConfigOptions.key("nearline.kafka.sasl.mechanism")
            .stringType()
            .defaultValue("SCRAM-SHA-512")
            .withDescription("SASL mechanism: SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN (PLAIN only over TLS).");

    public static final ConfigOption<Boolean> SSL_ENABLED = ConfigOptions.key("nearline.kafka.ssl.enabled")
            .booleanType()
            .defaultValue(false)
            .withDescription("Connect with TLS (SASL_SSL with a SASL user, else SSL). The broker's certificate is "
                    + "checked against the truststore below, or the JVM's default trust, and its host name verified.");

    public static final ConfigOption<String> SSL_TRUSTSTORE = ConfigOptions.key("nearline.kafka.ssl.truststore")
            .stringType()
            .noDefaultValue()
            .withDescription("Path of a PKCS12 (.p12) or JKS truststore for TLS, readable on every Flink process.");

    public static final ConfigOption<String> SSL_TRUSTSTORE_PASSWORD = ConfigOptions.key("nearline.kafka.ssl.truststore-password")
            .stringType()
            .noDefaultValue()
            .withDescription("Password of the truststore; if unset, the environment variable "
                    + SSL_TRUSTSTORE_PASSWORD_ENV + ". Never logged.");

    private KafkaOptions() {}
}
