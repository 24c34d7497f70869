package io.nearline.operators.models;

import org.apache.flink.configuration.ReadableConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Artifacts on S3 ({@code s3://bucket/key}) through the AWS SDK for Java v2, with its standard retries. */
public final class S3ArtifactStore implements ArtifactStore {

    private final S3Client s3;

    public S3ArtifactStore(S3Client s3) {
        this.s3 = s3;
    }

    /** A client from {@link S3Options}: endpoint override and path-style access for S3-compatible servers. */
    public static S3ArtifactStore from(ReadableConfig config) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.get(S3Options.REGION)))
                .forcePathStyle(config.get(S3Options.PATH_STYLE_ACCESS))
                // A builder, not a client: the SDK then closes the HTTP client (and its pool) with the S3 client.
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(o -> o.retryStrategy(retryStrategy(config)));
        config.getOptional(S3Options.ENDPOINT).map(URI::create).ifPresent(builder::endpointOverride);
        builder.credentialsProvider(credentials(config));
        return new S3ArtifactStore(builder.build());
    }

    private static RetryStrategy retryStrategy(ReadableConfig config) {
        int attempts = Math.max(1, config.get(S3Options.MAX_ATTEMPTS));
        return config.get(S3Options.RETRY_MODE) == S3Options.RetryMode.ADAPTIVE
                ? AwsRetryStrategy.adaptiveRetryStrategy().toBuilder().maxAttempts(attempts).build()
                : AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(attempts).build();
    }

    private static AwsCredentialsProvider credentials(ReadableConfig config) {
        String accessKey = config.getOptional(S3Options.ACCESS_KEY).orElse(null);
        String secretKey = config.getOptional(S3Options.SECRET_KEY).orElse(null);
        if (accessKey == null && secretKey == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        if (accessKey == null || secretKey == null) {
            throw new IllegalArgumentException(S3Options.ACCESS_KEY.key() + " and " + S3Options.SECRET_KEY.key()
                    + " go together");
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    @Override
    public byte[] read(URI uri) throws BadArtifactException {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(uri.getHost()).key(key(uri))).asByteArray();
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            throw new BadArtifactException(BadArtifactException.Reason.MISSING, "no object " + uri, e);
        }
    }

    @Override
    public void write(URI uri, byte[] bytes) throws IOException {
        s3.putObject(b -> b.bucket(uri.getHost()).key(key(uri)), RequestBody.fromBytes(bytes));
    }

    @Override
    public boolean exists(URI uri) {
        try {
            s3.headObject(b -> b.bucket(uri.getHost()).key(key(uri)));
            return true;
        } catch (NoSuchKeyException | NoSuchBucketException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false; // HEAD answers carry no error code, only the status
            }
            throw e;
        }
    }

    @Override
    public List<URI> list(URI folder) {
        String prefix = key(folder);
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix += "/";
        }
        String bucket = folder.getHost();
        List<URI> uris = new ArrayList<>();
        String effective = prefix;
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(effective)).contents().forEach(o -> {
            String rest = o.key().substring(effective.length());
            if (!rest.isEmpty() && !rest.contains("/")) {
                uris.add(URI.create("s3://" + bucket + "/" + o.key()));
            }
        });
        uris.sort(null);
        return uris;
    }

    /** Creates the bucket unless it exists; for tools and benchmarks that set up their own storage. */
    public void createBucketIfMissing(String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        }
    }

    private static String key(URI uri) {
        String path = uri.getPath();
        return path.startsWith("/") ? path.substring(1) : path;
    }

    @Override
    public void close() {
        s3.close();
    }
}
