package io.nearline.operators.security;

import org.apache.flink.annotation.VisibleForTesting;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where a secret setting comes from: its option if given, else an environment variable of the process that reads
 * the configuration (so that a Kubernetes secret can arrive as the environment, not on a command line).
 */
public final class Secrets {

    private static UnaryOperator<String> environment = System::getenv;

    private Secrets() {}

    public static Optional<String> get(ReadableConfig config, ConfigOption<String> option, String environmentVariable) {
        Optional<String> configured = config.getOptional(option);
        return configured.isPresent() ? configured : Optional.ofNullable(environment.apply(environmentVariable));
    }

    /** For tests: the environment to read instead of the process's; null for the process's again. */
    @VisibleForTesting
    public static void useEnvironment(UnaryOperator<String> lookup) {
        environment = lookup == null ? System::getenv : lookup;
    }
}
