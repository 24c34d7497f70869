package io.nearline.operators.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** Options of the self-checking build ({@code topology.check.CheckedNearlineJob}), used by the reliability tests and the soak. */
public final class CheckOptions {

    public static final ConfigOption<String> ALERTS_TOPIC = ConfigOptions.key("nearline.check.alerts-topic")
            .stringType().defaultValue("nearline-check-alerts")
            .withDescription("CheckedNearlineJob only: the Kafka topic its sequence check writes alerts to, one line per "
                    + "events lost or repeated for a member. NearlineJob ignores it.");

    private CheckOptions() {}
}
