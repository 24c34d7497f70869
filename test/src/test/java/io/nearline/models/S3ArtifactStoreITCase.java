package io.nearline.models;

import io.nearline.operators.models.BadArtifactException;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.S3ArtifactStore;
import io.nearline.operators.models.S3Options;
import io.nearline.operators.models.TestModels;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@RealServices(Service.S3)
class S3ArtifactStoreITCase {

    private static S3ArtifactStore store(TestServices services, String secret) {
        Configuration config = new Configuration();
        config.set(S3Options.ENDPOINT, services.endpoints().s3Endpoint().toString());
        config.set(S3Options.PATH_STYLE_ACCESS, true);
        config.set(S3Options.ACCESS_KEY, services.endpoints().s3AccessKey());
        config.set(S3Options.SECRET_KEY, secret);
        return S3ArtifactStore.from(config);
    }

    @Test
    void modelArtifactRoundTripsThroughS3AndVerifies(TestServices services) throws Exception {
        ModelArtifact model = TestModels.random("v1", 2000, 32, 5);
        byte[] bytes = ModelArtifacts.write(model);
        URI uri = URI.create("s3://" + services.bucket() + "/models/als/v1.avro");
        try (S3ArtifactStore store = store(services, services.endpoints().s3SecretKey())) {
            store.write(uri, bytes);

            ModelArtifact read = ModelArtifacts.read(store.read(uri), bytes.length, ModelArtifacts.sha256(bytes), 32);

            assertThat(read.metadata()).isEqualTo(model.metadata());
            assertThat(read.factors()).containsExactly(model.factors());
            assertThatThrownBy(() -> store.read(URI.create("s3://" + services.bucket() + "/models/als/v2.avro")))
                    .isInstanceOfSatisfying(BadArtifactException.class,
                            e -> assertThat(e.reason()).isEqualTo(BadArtifactException.Reason.MISSING));
        }
    }

    @Test
    void wrongCredentialsAreRefusedByTheServer(TestServices services) {
        try (S3ArtifactStore store = store(services, "wrong-secret")) {
            assertThatThrownBy(() -> store.write(URI.create("s3://" + services.bucket() + "/x"), new byte[] {1}))
                    .hasMessageContaining("403");
        }
    }
}
