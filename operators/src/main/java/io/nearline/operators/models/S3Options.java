package io.nearline.operators.models;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

/** How Nearline's own code (artifact stores) reaches S3; Flink's file systems have their own s3.* settings. */
public final class S3Options {

    public static final ConfigOption<String> ENDPOINT = ConfigOptions.key("nearline.s3.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("An S3-compatible endpoint such as http://127.0.0.1:9000; none means AWS itself.");

    public static final ConfigOption<Boolean> PATH_STYLE_ACCESS = ConfigOptions.key("nearline.s3.path-style-access")
            .booleanType()
            .defaultValue(false)
            .withDescription("Address buckets as endpoint/bucket/key, as local S3-compatible servers need.");

    public static final ConfigOption<String> REGION = ConfigOptions.key("nearline.s3.region")
            .stringType()
            .defaultValue("us-east-1")
            .withDescription("The region of the buckets.");

    public static final ConfigOption<String> ACCESS_KEY = ConfigOptions.key("nearline.s3.access-key")
            .stringType()
            .noDefaultValue()
            .withDescription("Access key; none means the AWS SDK's default credential chain (environment, profile, "
                    + "instance or pod identity).");

    public static final ConfigOption<String> SECRET_KEY = ConfigOptions.key("nearline.s3.secret-key")
            .stringType()
            .noDefaultValue()
            .withDescription("Secret key that goes with the access key. Never logged.");

    /** The AWS SDK's retry strategies: both back off exponentially with jitter; adaptive also limits the client's rate. */
    public enum RetryMode { STANDARD, ADAPTIVE }

    public static final ConfigOption<RetryMode> RETRY_MODE = ConfigOptions.key("nearline.s3.retry-mode")
            .enumType(RetryMode.class)
            .defaultValue(RetryMode.ADAPTIVE)
            .withDescription("How S3 requests are retried: STANDARD (exponential backoff with jitter) or ADAPTIVE "
                    + "(the same, plus client-side rate limiting when the server throttles; for bulk jobs such as the "
                    + "similars build).");

    public static final ConfigOption<Integer> MAX_ATTEMPTS = ConfigOptions.key("nearline.s3.max-attempts")
            .intType()
            .defaultValue(5)
            .withDescription("Attempts per S3 request, the first included, before the error is given up to the caller.");

    private S3Options() {}
}
