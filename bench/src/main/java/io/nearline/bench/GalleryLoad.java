package io.nearline.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.nearline.operators.cache.RecommendationRowEntries;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.Publication;
import io.nearline.operators.models.TestModels;
import io.nearline.operators.neighbours.NeighbourOptions;
import io.nearline.operators.similars.Catalog;
import io.nearline.operators.similars.CatalogArtifacts;
import io.nearline.operators.similars.CatalogTitle;
import io.nearline.schemas.CacheKeys;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import io.nearline.schemas.result.RecommendationRow;
import net.rubyeye.xmemcached.MemcachedClient;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * What {@code GET /v1/members/{member}/gallery} is measured against: a published model of 10k titles at rank 64 with
 * a neighbour table (as TrainJob writes them), a published catalog of those titles in eight genres (1,250 titles
 * each), and members {@code g0..} with a factor of that model and 20 watched titles in Cassandra and a watching row
 * of three titles in the cache.
 */
final class GalleryLoad {

    static final int TITLES = 10_000;
    static final int RANK = 64;
    static final List<String> GENRES = List.of("Action", "Animation", "Comedy", "Documentary", "Drama", "Horror", "Romance",
            "Thriller");

    private GalleryLoad() {}

    /** Publishes the model and the catalog on {@code topic} and writes the members' factors and watching rows. */
    static void prepare(String kafka, String topic, CqlSession session, String keyspace, MemcachedClient cache, int members)
            throws Exception {
        ModelArtifact model = TestModels.withRandomNeighbours(TestModels.random("v1", TITLES, RANK, 1),
                NeighbourOptions.NEIGHBOURS.defaultValue(), 5);
        byte[] modelBytes = ModelArtifacts.write(model);
        Path modelFile = Files.createTempFile("nearline-bench-gallery-model", ".avro");
        Files.write(modelFile, modelBytes);
        modelFile.toFile().deleteOnExit();
        Publication.announce(ArtifactDescriptor.newBuilder().setName(model.name()).setVersion(model.version())
                .setKind(ArtifactKind.MODEL).setUri(modelFile.toUri().toString()).setSha256(ModelArtifacts.sha256(modelBytes))
                .setSizeBytes(modelBytes.length).setTrafficShare(1.0).setPublishedAt(Instant.now()).build(), kafka, topic,
                new Properties());
        List<CatalogTitle> titles = new ArrayList<>(TITLES);
        for (int i = 0; i < TITLES; i++) {
            titles.add(new CatalogTitle(model.itemId(i), "Title " + i, Map.of("genre", List.of(GENRES.get(i % GENRES.size())))));
        }
        Catalog catalog = Catalog.of(titles);
        byte[] catalogBytes = CatalogArtifacts.write(catalog);
        Path catalogFile = Files.createTempFile("nearline-bench-catalog", ".jsonl");
        Files.write(catalogFile, catalogBytes);
        catalogFile.toFile().deleteOnExit();
        Publication.announce(CatalogArtifacts.describe(catalog, catalogBytes, catalogFile.toUri()), kafka, topic, new Properties());

        PreparedStatement insert = session.prepare("INSERT INTO " + keyspace + ".member_factors (member_id, model_name, "
                + "model_version, factor, updated_at, watched, watched_weights) VALUES (?, ?, ?, ?, ?, ?, ?)");
        Semaphore inFlight = new Semaphore(256);
        List<CompletableFuture<?>> writes = new ArrayList<>();
        Random random = new Random(7);
        Instant now = Instant.now();
        for (int m = 0; m < members; m++) {
            List<Float> factor = new ArrayList<>(RANK);
            for (int k = 0; k < RANK; k++) {
                factor.add((float) random.nextGaussian() * 0.3f);
            }
            List<String> watched = new ArrayList<>();
            List<Float> weights = new ArrayList<>();
            for (int w = 0; w < 20; w++) {
                watched.add(model.itemId(random.nextInt(TITLES)));
                weights.add(20f - w);
            }
            inFlight.acquire();
            writes.add(session.executeAsync(insert.bind("g" + m, model.name(), model.version(), factor, now, watched, weights))
                    .toCompletableFuture().whenComplete((rs, e) -> inFlight.release()));
            RecommendationRow watching = RecommendationRow.newBuilder().setMemberId("g" + m).setRowName("watching")
                    .setTitles(watched.subList(0, 3)).setScores(List.of(0f, 60f, 120f)).setModelName("live")
                    .setModelVersion("play-started").setComputedAt(now).setNewestEventTime(now).build();
            cache.set(CacheKeys.row("watching", "g" + m), 3600, new RecommendationRowEntries().value(watching));
        }
        CompletableFuture.allOf(writes.toArray(new CompletableFuture[0])).join();
    }

    /** wrk's requests: a random member of {@code g0..} and a random genre. */
    static String script(int members) {
        StringBuilder genres = new StringBuilder();
        for (String genre : GENRES) {
            genres.append(genres.length() == 0 ? "" : ", ").append('"').append(genre).append('"');
        }
        return "math.randomseed(42)\n"
                + "local genres = {" + genres + "}\n"
                + "request = function()\n"
                + "  return wrk.format(\"GET\", \"/v1/members/g\" .. math.random(0, " + (members - 1) + ") .. "
                + "\"/gallery?facet=genre:\" .. genres[math.random(1, #genres)] .. \"&limit=25\")\n"
                + "end\n";
    }

    /** The session of the prepared keyspace, for {@link #prepare}. */
    static CqlSession session(String cassandra) {
        String[] hostPort = cassandra.split(":");
        return CqlSession.builder().addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
                .withLocalDatacenter("datacenter1").build();
    }
}
