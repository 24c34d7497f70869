package io.nearline.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nearline.operators.cache.CacheOptions;
import io.nearline.operators.cassandra.CassandraOptions;
import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.operators.serving.ServingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP API with no store reachable: input checks, and the fallback answering within the deadline. */
class ServingServerTest {

    private static ServingServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Configuration config = new Configuration();
        config.set(ServingOptions.PORT, 0);
        config.set(ServingOptions.DEADLINE, Duration.ofMillis(50));
        // Nothing listens on port 1: every store refuses at once.
        config.set(CacheOptions.SERVERS, List.of("127.0.0.1:1"));
        config.set(CassandraOptions.CONTACT_POINTS, List.of("127.0.0.1:1"));
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, "127.0.0.1:1");
        config.set(ServingOptions.EVENTS_ACK_TIMEOUT, Duration.ofMillis(300));
        server = ServingServer.start(config);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void withNoStoreReachableTheFallbackAnswersWithinTheDeadlineAndSaysWhy() throws Exception {
        // The first request loads and compiles the server's classes (seconds on a loaded machine): not what is measured.
        get("/v1/members/member-0/rows");
        long start = System.nanoTime();
        HttpResponse<String> response = get("/v1/members/member-1/rows?country=de&device=tv&limit=5");
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("fallback").asBoolean()).isTrue();
        assertThat(answer.path("reason").asText()).contains("cache").contains("Cassandra");
        assertThat(millis).as("answered in %d ms", millis).isLessThan(1_000);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/v1/members/member-1/rows?limit=0|limit must be between 1 and 100, not 0",
        "/v1/members/member-1/rows?limit=101|limit must be between 1 and 100, not 101",
        "/v1/members/member-1/rows?limit=ten|limit must be a whole number",
        "/v1/members/member-1/rows?country=Germany|country must be a two-letter country code",
        "/v1/members/member-1/rows?device=TV%20set|device must be lower-case letters",
        "/v1/members/%20bad/rows|member id must be",
        "/v1/titles/t%3Bdrop/similar|title id must be",
        "/v1/titles/t1/similar?algorithm=a%20b|algorithm must be an algorithm name",
        "/v1/members/m1/because/%2F%2F|title id must be",
        "/v1/members/member-1/gallery|facet must be <facet>:<value>, such as genre:Horror",
        "/v1/members/member-1/gallery?facet=Horror|facet must be <facet>:<value>",
        "/v1/members/member-1/gallery?facet=genre:Horror&limit=0|limit must be between 1 and 100, not 0",
        "/v1/members/member-1/gallery?facet=genre:Horror&country=Germany|country must be a two-letter country code",
        "/v1/members/%20bad/gallery?facet=genre:Horror|member id must be",
        "/v1/titles|ids must be title ids separated by commas",
        "/v1/titles?ids=t1,t%3B2|title id must be",
        "/v1/trending?country=Germany|country must be a two-letter country code",
        "/v1/trending?limit=101|limit must be between 1 and 100, not 101",
    })
    void malformedRequestsGetA400WithAOneLineReason(String path, String reason) throws Exception {
        HttpResponse<String> response = get(path);

        assertThat(response.statusCode()).isEqualTo(400);
        String error = JSON.readTree(response.body()).path("error").asText();
        assertThat(error).contains(reason).doesNotContain("\n");
    }

    @Test
    void beforeACatalogIsPublishedGalleriesAndTitlesAreUnavailableAndSaySo() throws Exception {
        for (String path : List.of("/v1/members/member-1/gallery?facet=genre:Horror", "/v1/titles?ids=t1", "/v1/facets")) {
            HttpResponse<String> response = get(path);

            assertThat(response.statusCode()).as(path).isEqualTo(503);
            assertThat(JSON.readTree(response.body()).path("error").asText()).as(path).contains("no catalog is published yet");
        }
    }

    @Test
    void unknownPathsGetA404AndHealthAndMetricsAnswer() throws Exception {
        assertThat(get("/v2/anything").statusCode()).isEqualTo(404);
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).path("cassandra").asText()).isEqualTo("unavailable");
        get("/v1/members/member-2/rows");
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("nearline_serving_requests_total{endpoint=\"rows\",status=\"200\"}")
                .contains("nearline_serving_fallbacks_total{cause=\"deadline\"}");
    }

    @Test
    void anEventPostedWhileKafkaIsUnreachableIsA503ThatListsItAsNotAccepted() throws Exception {
        String event = ("{'eventId':'e1','memberId':'m1','profileId':'m1','eventTime':" + System.currentTimeMillis() + ","
                + "'context':{'deviceType':'WEB','country':'DE','appVersion':'1'},"
                + "'payload':{'type':'ListAdd','titleId':'t1'}}").replace('\'', '"');
        long start = System.nanoTime();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/events")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event))
                .build(), HttpResponse.BodyHandlers.ofString());
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("notAccepted").toString()).isEqualTo("[\"e1\"]");
        assertThat(answer.path("error").asText()).startsWith("Kafka acknowledged 0 of 1 events");
        assertThat(millis).as("answered in %d ms", millis).isLessThan(3_000);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
