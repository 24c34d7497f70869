package io.nearline.models;

import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.TestModels;
import io.nearline.operators.similars.Catalog;
import io.nearline.operators.similars.CatalogArtifacts;
import io.nearline.operators.similars.CatalogTitle;
import io.nearline.schemas.ArtifactDescriptorCodec;
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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bin/nearline publish} against real Kafka, with artifacts and catalogs on local files. */
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

    @Test
    void publishStoresACatalogsPublishedFormAndAnnouncesIt(TestServices services, @TempDir Path dir) throws Exception {
        String topic = services.createTopic(services.topic() + "-catalog", 1);
        Path file = Files.writeString(dir.resolve("catalog.jsonl"), "{\"id\": \"t2\", \"name\": \"Two\", \"facets\": {\"genre\": [\"Drama\"]}}\n"
                + "{\"id\": \"t1\", \"facets\": {\"genre\": [\"War\", \"Drama\"], \"decade\": \"1990s\"}}\n");
        Path store = dir.resolve("store");

        int exit = NearlineCli.run("publish", "--catalog", file.toString(), "--upload-to", store.toUri().toString(), "--topic", topic,
                "--bootstrap-servers", services.endpoints().kafkaBootstrapServers());

        assertThat(exit).isZero();
        var records = KafkaRecords.readAll(services.kafkaProperties(), topic, 1, Duration.ofSeconds(30), Duration.ofMillis(500));
        assertThat(records).hasSize(1);
        ArtifactDescriptor descriptor = ArtifactDescriptorCodec.decode(records.get(0).value());
        assertThat(descriptor.getKind()).isEqualTo(ArtifactKind.CATALOG);
        assertThat(descriptor.getName()).isEqualTo(CatalogArtifacts.NAME);
        Path stored = store.resolve("catalog/" + descriptor.getVersion() + ".jsonl");
        assertThat(descriptor.getUri()).isEqualTo(stored.toUri().toString());
        Catalog catalog = CatalogArtifacts.read(Files.readAllBytes(stored), descriptor);
        assertThat(catalog.titles()).containsExactly(
                new CatalogTitle("t1", "t1", Map.of("decade", List.of("1990s"), "genre", List.of("Drama", "War"))),
                new CatalogTitle("t2", "Two", Map.of("genre", List.of("Drama"))));
    }

    @Test
    void aCatalogWithoutAFolderOrWithATrafficShareIsRefusedWithoutPublishing(TestServices services, @TempDir Path dir)
            throws Exception {
        String topic = services.createTopic(services.topic() + "-catalog-refused", 1);
        Path file = Files.writeString(dir.resolve("catalog.jsonl"), "{\"id\": \"t1\"}\n");
        Path model = Files.write(dir.resolve("v1.avro"), ModelArtifacts.write(TestModels.random("v1", 10, 2, 1)));
        String[] kafka = {"--topic", topic, "--bootstrap-servers", services.endpoints().kafkaBootstrapServers()};
        String folder = dir.resolve("store").toUri().toString();

        assertThat(NearlineCli.run(concat(new String[] {"publish", "--catalog", file.toString()}, kafka))).as("no --upload-to")
                .isEqualTo(2);
        assertThat(NearlineCli.run(concat(new String[] {"publish", "--catalog", file.toString(), "--upload-to", folder,
                "--traffic-share", "0.5"}, kafka))).as("a traffic share").isEqualTo(2);
        assertThat(NearlineCli.run(concat(new String[] {"publish", "--catalog", file.toString(), "--artifact", model.toString(),
                "--upload-to", folder}, kafka))).as("both").isEqualTo(2);
        Path duplicate = Files.writeString(dir.resolve("twice.jsonl"), "{\"id\": \"t1\"}\n{\"id\": \"t1\"}\n");
        assertThat(NearlineCli.run(concat(new String[] {"publish", "--catalog", duplicate.toString(), "--upload-to", folder}, kafka)))
                .as("a title twice").isEqualTo(2);
        assertThat(KafkaRecords.readAll(services.kafkaProperties(), topic, 1, Duration.ofSeconds(2), Duration.ZERO)).isEmpty();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
