package io.nearline.serving.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.UiEvent;
import io.prometheus.metrics.core.metrics.Counter;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint over real HTTP on loopback, producing to Kafka's test double of a producer. */
class EventsEndpointTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UiEventCodec CODEC = new UiEventCodec();
    private static final Instant NOW = Instant.now();

    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private Javalin app;

    @BeforeEach
    void start() {
        EventSettings settings = new EventSettings(2048, 3, Duration.ofSeconds(1), "ui-events", Duration.ofMinutes(5));
        Counter events = Counter.builder().name("events_total").labelNames("outcome").build();
        EventsEndpoint endpoint = new EventsEndpoint(settings, producer, Clock.systemUTC(), events);
        app = Javalin.create(config -> config.showJavalinBanner = false).post("/v1/events", endpoint::handle).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private static String event(String id, String titleId) {
        return ("{'eventId':'" + id + "','memberId':'m1','profileId':'m1','eventTime':'" + NOW + "',"
                + "'context':{'deviceType':'WEB','country':'DE','appVersion':'web-1','sessionId':'s1'},"
                + "'payload':{'type':'PlayStarted','titleId':'" + titleId + "','positionSeconds':0}}").replace('\'', '"');
    }

    private HttpResponse<String> post(String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/v1/events"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String json) throws Exception {
        return post("application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode answer(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void aJsonEventIsAcceptedWithItsId() throws Exception {
        HttpResponse<String> response = postJson(event("e1", "t1"));

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(answer(response).path("accepted").toString()).isEqualTo("[\"e1\"]");
        assertThat(producer.history()).hasSize(1);
        UiEvent sent = CODEC.decode(producer.history().get(0).value());
        assertThat(sent.getContext().getSessionId()).isEqualTo("s1");
        assertThat(new String(producer.history().get(0).key(), StandardCharsets.UTF_8)).isEqualTo("m1");
    }

    @Test
    void aJsonBatchWithOneInvalidEventIsRefusedWholeNamingTheEvent() throws Exception {
        HttpResponse<String> response = postJson("[" + event("e1", "t1") + "," + event("e2", " ") + "]");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(answer(response).path("error").asText()).isEqualTo("events[1].payload.titleId is missing or blank");
        assertThat(answer(response).path("index").asInt()).isEqualTo(1);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void avroEventsAloneOrInABatchAreSentAsTheyCame() throws Exception {
        byte[] one = CODEC.encode(UiEvents.event("a1", "m2", NOW, UiEvents.payload(EventKind.RATING, "t1")));
        byte[] two = CODEC.encode(UiEvents.event("a2", "m3", NOW, UiEvents.payload(EventKind.SEARCH, "t2")));

        HttpResponse<String> single = post(EventsEndpoint.AVRO, one);
        HttpResponse<String> batch = post(AvroFrames.MEDIA_TYPE, AvroFrames.join(List.of(one, two)));

        assertThat(single.statusCode()).isEqualTo(202);
        assertThat(answer(single).path("accepted").toString()).isEqualTo("[\"a1\"]");
        assertThat(batch.statusCode()).isEqualTo(202);
        assertThat(answer(batch).path("accepted").toString()).isEqualTo("[\"a1\",\"a2\"]");
        assertThat(producer.history()).extracting(ProducerRecord::value).containsExactly(one, one, two);
    }

    @Test
    void invalidAvroIsRefusedWithTheJobsReason() throws Exception {
        HttpResponse<String> response = post(EventsEndpoint.AVRO, "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(answer(response).path("error").asText()).isEqualTo("not a readable event (not-avro): no Avro single-object marker");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void anotherContentTypeIsA415() throws Exception {
        HttpResponse<String> plain = post("text/plain", event("e1", "t1").getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> none = post(null, event("e1", "t1").getBytes(StandardCharsets.UTF_8));

        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(answer(plain).path("error").asText()).endsWith("not 'text/plain'");
        assertThat(none.statusCode()).isEqualTo(415);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void aBodyOverTheSizeLimitOrABatchOverTheCountLimitIsA413() throws Exception {
        HttpResponse<String> large = postJson("[" + event("e1", "t".repeat(2100)) + "]");
        HttpResponse<String> long_ = postJson("[" + String.join(",", List.of(event("e1", "t1"), event("e2", "t1"),
                event("e3", "t1"), event("e4", "t1"))) + "]");

        assertThat(large.statusCode()).isEqualTo(413);
        assertThat(answer(large).path("error").asText()).contains("at most 2048 bytes").contains("max-request-size");
        assertThat(long_.statusCode()).isEqualTo(413);
        assertThat(answer(long_).path("error").asText()).isEqualTo("a batch holds at most 3 events, this one 4");
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void aKafkaFailureIsA503ListingWhatWasAcknowledged() throws Exception {
        producer.close();

        HttpResponse<String> response = postJson("[" + event("e1", "t1") + "," + event("e2", "t2") + "]");

        assertThat(response.statusCode()).isEqualTo(503);
        JsonNode answer = answer(response);
        assertThat(answer.path("error").asText()).startsWith("Kafka acknowledged 0 of 2 events: ");
        assertThat(answer.path("accepted").toString()).isEqualTo("[]");
        assertThat(answer.path("notAccepted").toString()).isEqualTo("[\"e1\",\"e2\"]");
    }
}
