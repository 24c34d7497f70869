package io.nearline.models;

import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.TestModels;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import io.nearline.testing.KafkaRecords;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import io.nearline.topology.cli.NearlineCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bin/nearline publish} against real Kafka, with artifacts on local files. */
@RealServices(Service.KAFKA)
class PublishCommandITCase {

    @Test
    void publishCopiesTheArtifactAndAnnouncesItsChecksummedDescriptor(TestServices services, @TempDir Path dir)
            throws Exception {
        ModelArtifact model = TestModels.random("v7", 300, 8, 3);
        byte[] bytes = ModelArtifacts.write(model);
        Path file = dir.resolve("trained.avro");
        Files.write(file, bytes);
        Path store = dir.resolve("store");

        int exit = NearlineCli.run("publish", "--artifact", file.toString(), "--traffic-share", "0.1",
                "--upload-to", store.toUri().toString(), "--topic", services.topic(),
                "--bootstrap-servers", services.endpoints().kafkaBootstrapServers());

        assertThat(exit).isZero();
        Path uploaded = store.resolve("als/v7.avro");
        assertThat(Files.readAllBytes(uploaded)).isEqualTo(bytes);
        var records = KafkaRecords.readAll(services.kafkaProperties(), services.topic(), 1, Duration.ofSeconds(30),
                Duration.ofMillis(500));
        assertThat(records).hasSize(1);
        ArtifactDescriptor descriptor = ArtifactDescriptor.getDecoder().decode(records.get(0).value());
        assertThat(descriptor.getName()).isEqualTo("als");
        assertThat(descriptor.getVersion()).isEqualTo("v7");
        assertThat(descriptor.getKind()).isEqualTo(ArtifactKind.MODEL);
        assertThat(descriptor.getUri()).isEqualTo(uploaded.toUri().toString());
        assertThat(descriptor.getSha256()).isEqualTo(ModelArtifacts.sha256(bytes));
        assertThat(descriptor.getSizeBytes()).isEqualTo(bytes.length);
        assertThat(descriptor.getTrafficShare()).isEqualTo(0.1);
    }

    @Test
    void badArgumentsAndBrokenArtifactsAreRefusedWithoutPublishing(TestServices services, @TempDir Path dir)
            throws Exception {
        String topic = services.createTopic(services.topic() + "-refused", 1);
        Path broken = dir.resolve("broken.avro");
        Files.write(broken, "not a model".getBytes());
        String[] kafka = {"--topic", topic, "--bootstrap-servers", services.endpoints().kafkaBootstrapServers()};

        assertThat(NearlineCli.run(concat(new String[] {"publish", "--artifact", broken.toString()}, kafka))).isEqualTo(2);
        assertThat(NearlineCli.run(concat(new String[] {"publish", "--artifact", dir.resolve("none.avro").toString()}, kafka)))
                .isEqualTo(2);
        assertThat(NearlineCli.run(concat(new String[] {"publish", "--artifact", broken.toString(), "--traffic-share", "1.5"},
                kafka))).isEqualTo(2);
        assertThat(NearlineCli.run("publish")).as("missing --artifact").isEqualTo(2);
        assertThat(KafkaRecords.readAll(services.kafkaProperties(), topic, 1, Duration.ofSeconds(2),
                Duration.ZERO)).isEmpty();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
