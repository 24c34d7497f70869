package io.nearline.bench;

import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.S3ArtifactStore;
import io.nearline.operators.models.S3Options;
import io.nearline.operators.models.TestModels;
import org.apache.flink.configuration.Configuration;

import java.net.URI;
import java.util.Arrays;

/** Time to fetch a model artifact from S3 and verify and parse it, as a TaskManager does before switching. */
final class ModelLoadBenchmark {

    static final String BUCKET = "nearline-bench";

    private ModelLoadBenchmark() {}

    /** The median of {@code runs} loads, in milliseconds. */
    static double medianLoadMillis(Configuration s3, int items, int rank, int runs) throws Exception {
        ModelArtifact model = TestModels.random("bench", items, rank, 42);
        byte[] bytes = ModelArtifacts.write(model);
        String sha = ModelArtifacts.sha256(bytes);
        URI uri = URI.create("s3://" + BUCKET + "/models/bench-" + items + "x" + rank + ".avro");
        try (S3ArtifactStore store = S3ArtifactStore.from(s3)) {
            store.createBucketIfMissing(BUCKET);
            store.write(uri, bytes);
            double[] millis = new double[runs];
            for (int run = 0; run < runs; run++) {
                long start = System.nanoTime();
                ModelArtifact loaded = ModelArtifacts.read(store.read(uri), bytes.length, sha, rank);
                millis[run] = (System.nanoTime() - start) / 1e6;
                if (loaded.numItems() != items) {
                    throw new IllegalStateException("loaded " + loaded.numItems() + " items");
                }
            }
            Arrays.sort(millis);
            System.out.printf("artifact %.1f MB; loads (ms): %s%n", bytes.length / 1e6, Arrays.toString(millis));
            return millis[runs / 2];
        }
    }

    static Configuration localS3() {
        Configuration config = new Configuration();
        config.set(S3Options.ENDPOINT, "http://127.0.0.1:" + System.getenv().getOrDefault("NEARLINE_S3_PORT", "9000"));
        config.set(S3Options.PATH_STYLE_ACCESS, true);
        config.set(S3Options.ACCESS_KEY, System.getenv().getOrDefault("NEARLINE_S3_ACCESS_KEY", "nearline"));
        config.set(S3Options.SECRET_KEY, System.getenv().getOrDefault("NEARLINE_S3_SECRET_KEY", "nearline-secret"));
        return config;
    }

}
