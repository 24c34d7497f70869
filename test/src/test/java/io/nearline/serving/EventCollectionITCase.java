package io.nearline.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nearline.operators.cache.CacheOptions;
import io.nearline.operators.cassandra.CassandraOptions;
import io.nearline.operators.events.DeadLetterReason;
import io.nearline.operators.events.DecodeResult;
import io.nearline.operators.events.EventDecoder;
import io.nearline.operators.events.MalformedRecords;
import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.serving.ServingOptions;
import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.DeviceType;
import io.nearline.schemas.event.EventContext;
import io.nearline.schemas.event.PlayStarted;
import io.nearline.schemas.event.UiEvent;
import io.nearline.serving.events.AvroFrames;
import io.nearline.serving.events.EventsEndpoint;
import io.nearline.testing.KafkaRecords;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /v1/events} of the online service against the real Kafka broker: valid events, as JSON (one and a
 * batch) and as Avro (one and a length-prefixed batch), reach the events topic once each, keyed by member, as bytes
 * the job's decoder accepts; every kind of bad request gets its 400, 413 or 415 with a one-line reason, and nothing
 * of it reaches the topic.
 */
@RealServices({Service.KAFKA})
class EventCollectionITCase {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UiEventCodec CODEC = new UiEventCodec();
    private static final int MAX_BATCH = 20;
    private static final MemorySize MAX_BODY = MemorySize.parse("16kb");

    private ServingServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void validEventsInEveryFormReachTheTopicOnceEachKeyedByMember(TestServices services) throws Exception {
        String topic = services.createTopic(services.topic() + "-valid", 3);
        server = ServingServer.start(config(services, topic));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Map<String, UiEvent> sent = new LinkedHashMap<>();

        UiEvent single = play("json-0", "member-1", now, "t1");
        expectAccepted(post("application/json", json(single)), List.of(single), sent);

        List<UiEvent> batch = new ArrayList<>();
        for (int i = 0; i < MAX_BATCH; i++) {
            batch.add(play("json-batch-" + i, "member-" + (i % 7), now.minusMillis(i), "t" + i));
        }
        expectAccepted(post("application/json; charset=utf-8", "[" + batch.stream().map(EventCollectionITCase::json)
                .collect(Collectors.joining(",")) + "]"), batch, sent);

        UiEvent avro = UiEvents.event("avro-0", "member-2", now, UiEvents.payload(EventKind.RATING, "t3"));
        expectAccepted(post(EventsEndpoint.AVRO, CODEC.encode(avro)), List.of(avro), sent);

        List<UiEvent> avroBatch = new ArrayList<>();
        for (EventKind kind : EventKind.values()) {
            avroBatch.add(UiEvents.event("avro-" + kind.externalName(), "member-3", now, UiEvents.payload(kind, "t4")));
        }
        expectAccepted(post(AvroFrames.MEDIA_TYPE, AvroFrames.join(avroBatch.stream().map(CODEC::encode).toList())),
                avroBatch, sent);

        List<ConsumerRecord<byte[], byte[]>> records = KafkaRecords.readAll(services.kafkaProperties(), topic, sent.size(),
                Duration.ofSeconds(60), Duration.ofSeconds(3));

        EventDecoder jobDecoder = new EventDecoder(Duration.ofMinutes(5));
        Map<String, UiEvent> received = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            DecodeResult decoded = jobDecoder.decode(record.value(), System.currentTimeMillis());
            assertThat(decoded.isValid()).as("the job reads record %s: %s", record.offset(), decoded.detail()).isTrue();
            UiEvent event = decoded.event();
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.getMemberId());
            assertThat(received.put(event.getEventId(), event)).as("event %s arrived twice", event.getEventId()).isNull();
        }
        assertThat(received).isEqualTo(sent);
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyKindOfBadRequestGetsItsStatusAndNothingOfItReachesTheTopic(TestServices services) throws Exception {
        String topic = services.createTopic(services.topic() + "-bad", 3);
        server = ServingServer.start(config(services, topic));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String good = json(play("good-1", "member-1", now, "t1"));

        List<BadRequest> requests = new ArrayList<>();
        requests.add(json(400, "malformed JSON", null, "[" + good + ",{\"eventId\":"));
        requests.add(json(400, "events[1].payload.type 'Purchase' is not a payload type", 1,
                batch(good, good.replace("\"PlayStarted\"", "\"Purchase\"").replace("good-1", "good-2"))));
        requests.add(json(400, "events[1].eventId is missing", 1, batch(good, good.replace("\"eventId\":\"good-1\",", ""))));
        requests.add(json(400, "events[1].memberId is missing or blank", 1,
                batch(good, json(play("good-2", " ", now, "t1")))));
        requests.add(json(400, "events[1].profileId is longer than 256 characters", 1,
                batch(good, json(UiEvent.newBuilder(play("good-2", "m", now, "t1")).setProfileId("p".repeat(300)).build()))));
        requests.add(json(400, "events[1].eventTime 1999-06-01T00:00:00Z is before 2000-01-01T00:00:00Z", 1,
                batch(good, json(play("good-2", "m", Instant.parse("1999-06-01T00:00:00Z"), "t1")))));
        requests.add(json(400, "events[1].eventTime", 1, batch(good, json(play("good-2", "m", now.plus(Duration.ofDays(1)), "t1")))));
        requests.add(json(400, "events[1].payload: positionSeconds is -1.0", 1,
                batch(good, good.replace("\"positionSeconds\":0.0", "\"positionSeconds\":-1").replace("good-1", "good-2"))));
        requests.add(json(400, "events[1].payload.positionSeconds must be a number, not 'zero'", 1,
                batch(good, good.replace("\"positionSeconds\":0.0", "\"positionSeconds\":\"zero\""))));
        requests.add(json(400, "events[0].eventTime must be epoch milliseconds or an ISO-8601 time", 0,
                batch(good.replace("\"eventTime\":" + now.toEpochMilli(), "\"eventTime\":\"tomorrow\""), good)));
        requests.add(json(400, "the body is empty", null, ""));
        byte[] valid = CODEC.encode(play("good-avro", "member-1", now, "t1"));
        Map<DeadLetterReason, byte[]> malformed = MalformedRecords.oneOfEachReason("it", now);
        for (Map.Entry<DeadLetterReason, byte[]> bad : malformed.entrySet()) {
            requests.add(new BadRequest(AvroFrames.MEDIA_TYPE, AvroFrames.join(List.of(valid, bad.getValue())), 400,
                    "events[1]", 1));
        }
        requests.add(new BadRequest(EventsEndpoint.AVRO, malformed.get(DeadLetterReason.TRUNCATED), 400,
                "not a readable event (truncated)", 0));
        requests.add(json(413, "at most " + MAX_BODY.getBytes() + " bytes",  null,
                batch(good, good.replace("\"t1\"", "\"" + "t".repeat((int) MAX_BODY.getBytes()) + "\""))));
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= MAX_BATCH; i++) {
            tooMany.add(good.replace("good-1", "many-" + i));
        }
        requests.add(json(413, "a batch holds at most " + MAX_BATCH + " events, this one " + (MAX_BATCH + 1), null,
                "[" + String.join(",", tooMany) + "]"));
        requests.add(new BadRequest("text/plain", good.getBytes(StandardCharsets.UTF_8), 415, "not 'text/plain'", null));
        requests.add(new BadRequest("application/x-www-form-urlencoded", "eventId=e1".getBytes(StandardCharsets.UTF_8), 415,
                "Content-Type must be application/json", null));

        for (BadRequest request : requests) {
            HttpResponse<String> response = post(request.contentType(), request.body());
            JsonNode answer = JSON.readTree(response.body());
            String error = answer.path("error").asText();
            assertThat(response.statusCode()).as("%s: %s", request.reason(), response.body()).isEqualTo(request.status());
            assertThat(error).as("answer %s", response.body()).contains(request.reason()).doesNotContain("\n");
            if (request.index() == null) {
                assertThat(answer.has("index")).as("answer %s", response.body()).isFalse();
            } else {
                assertThat(answer.path("index").asInt()).as("answer %s", response.body()).isEqualTo(request.index());
            }
        }

        // A marker after all of them: once it is read, anything the bad requests had sent would have been read too.
        HttpResponse<String> marker = post("application/json", good.replace("good-1", "marker"));
        assertThat(marker.statusCode()).as(marker.body()).isEqualTo(202);
        List<ConsumerRecord<byte[], byte[]>> records = KafkaRecords.readAll(services.kafkaProperties(), topic, 1,
                Duration.ofSeconds(60), Duration.ofSeconds(3));
        assertThat(records).extracting(r -> CODEC.decode(r.value()).getEventId()).containsExactly("marker");
    }

    private record BadRequest(String contentType, byte[] body, int status, String reason, Integer index) {}

    private static BadRequest json(int status, String reason, Integer index, String body) {
        return new BadRequest("application/json", body.getBytes(StandardCharsets.UTF_8), status, reason, index);
    }

    private static String batch(String... events) {
        return "[" + String.join(",", events) + "]";
    }

    private static void expectAccepted(HttpResponse<String> response, List<UiEvent> events, Map<String, UiEvent> sent)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        List<String> accepted = new ArrayList<>();
        JSON.readTree(response.body()).path("accepted").forEach(id -> accepted.add(id.asText()));
        assertThat(accepted).containsExactlyElementsOf(events.stream().map(UiEvent::getEventId).toList());
        sent.putAll(events.stream().collect(Collectors.toMap(UiEvent::getEventId, Function.identity())));
    }

    /** A play from the web app in Germany, as the console sends them. */
    private static UiEvent play(String id, String member, Instant time, String title) {
        return UiEvent.newBuilder().setEventId(id).setMemberId(member).setProfileId(member).setEventTime(time)
                .setContext(EventContext.newBuilder().setDeviceType(DeviceType.WEB).setCountry("DE").setAppVersion("web-1")
                        .setSessionId("s-" + member).build())
                .setPayload(new PlayStarted(title, 0.0)).build();
    }

    /** The JSON form of a play, written out field by field as a client would. */
    private static String json(UiEvent play) {
        PlayStarted payload = (PlayStarted) play.getPayload();
        EventContext context = play.getContext();
        return "{\"eventId\":" + quoted(play.getEventId()) + ",\"memberId\":" + quoted(play.getMemberId())
                + ",\"profileId\":" + quoted(play.getProfileId()) + ",\"eventTime\":" + play.getEventTime().toEpochMilli()
                + ",\"context\":{\"deviceType\":\"" + context.getDeviceType() + "\",\"country\":" + quoted(context.getCountry())
                + ",\"appVersion\":" + quoted(context.getAppVersion()) + ",\"sessionId\":" + quoted(context.getSessionId())
                + "},\"payload\":{\"type\":\"PlayStarted\",\"titleId\":" + quoted(payload.getTitleId())
                + ",\"positionSeconds\":" + payload.getPositionSeconds() + "}}";
    }

    private static String quoted(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> post(String contentType, String body) throws Exception {
        return post(contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String contentType, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/events"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The real broker; the stores are not part of this test (nothing listens on port 1: they answer at once). */
    private static Configuration config(TestServices services, String topic) {
        services.createTopic(topic + "-published", 1); // read by the service at its start; created here to be deleted
        Configuration config = new Configuration();
        config.set(ServingOptions.PORT, 0);
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, services.endpoints().kafkaBootstrapServers());
        config.set(KafkaOptions.EVENTS_TOPIC, topic);
        config.set(ModelOptions.PUBLISHED_TOPIC, topic + "-published");
        config.set(ServingOptions.EVENTS_MAX_BATCH, MAX_BATCH);
        config.set(ServingOptions.EVENTS_MAX_REQUEST_SIZE, MAX_BODY);
        config.set(ServingOptions.EVENTS_ACK_TIMEOUT, Duration.ofSeconds(10));
        config.set(CacheOptions.SERVERS, List.of("127.0.0.1:1"));
        config.set(CassandraOptions.CONTACT_POINTS, List.of("127.0.0.1:1"));
        return config;
    }
}
