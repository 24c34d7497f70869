package io.nearline.serving.events;

import io.javalin.http.Context;
import io.nearline.operators.serving.ServingOptions;
import io.nearline.schemas.UiEventCodec;
import io.nearline.schemas.event.UiEvent;
import io.prometheus.metrics.core.metrics.Counter;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.kafka.clients.producer.Producer;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /v1/events}: one event or a batch, as JSON ({@value #JSON}, see {@link JsonEvents}), as one event in
 * Avro single-object encoding ({@value #AVRO}) or as a sequence of them ({@value AvroFrames#MEDIA_TYPE}, see
 * {@link AvroFrames}). Answers 202 {@code {"accepted": [ids]}}; 400 {@code {"error", "index"}} for an invalid event
 * (nothing of the request sent); 413 for a body or batch over the limits; 415 for another content type; 503 with
 * {@code accepted} and {@code notAccepted} when Kafka did not acknowledge every event in time.
 */
public final class EventsEndpoint implements AutoCloseable {

    public static final String JSON = "application/json";
    public static final String AVRO = "application/vnd.nearline.event+avro";

    private final EventSettings settings;
    private final EventCollector collector;
    private final Producer<byte[], byte[]> producer;
    private final Counter events;
    private final UiEventCodec codec = new UiEventCodec();

    /** {@code events} counts events by outcome: accepted, rejected, not-acknowledged. */
    public EventsEndpoint(EventSettings settings, Producer<byte[], byte[]> producer, Clock clock, Counter events) {
        this.settings = settings;
        this.producer = producer;
        this.collector = new EventCollector(producer, settings.topic(), settings.maxFutureSkew(), settings.ackTimeout(), clock);
        this.events = events;
    }

    /** The endpoint with its Kafka producer on the configured brokers and events topic. */
    public static EventsEndpoint start(ReadableConfig config, Counter events) {
        EventSettings settings = EventSettings.from(config);
        return new EventsEndpoint(settings, EventProducers.create(config, settings.ackTimeout()), Clock.systemUTC(), events);
    }

    public void handle(Context ctx) throws IOException {
        try {
            answer(ctx, collect(ctx));
        } catch (EventRefusal refusal) {
            if (refusal.index() != null) {
                events.labelValues("rejected").inc();
            }
            ctx.status(refusal.status()).json(refusal.answer());
        }
    }

    private record Submitted(List<byte[]> events, boolean batch) {}

    private EventCollector.Outcome collect(Context ctx) throws IOException, EventRefusal {
        String type = mediaType(ctx.contentType());
        if (!type.equals(JSON) && !type.equals(AVRO) && !type.equals(AvroFrames.MEDIA_TYPE)) {
            throw EventRefusal.unsupportedType("Content-Type must be " + JSON + ", " + AVRO + " or " + AvroFrames.MEDIA_TYPE
                    + (type.isEmpty() ? ", and is missing" : ", not '" + clip(type) + "'"));
        }
        byte[] body = RequestBodies.read(ctx.req().getInputStream(), ctx.req().getContentLengthLong(),
                settings.maxRequestBytes(), ServingOptions.EVENTS_MAX_REQUEST_SIZE.key());
        if (body.length == 0) {
            throw EventRefusal.badRequest("the body is empty");
        }
        Submitted submitted = switch (type) {
            case JSON -> fromJson(body);
            case AVRO -> new Submitted(List.of(body), false);
            default -> new Submitted(AvroFrames.split(body, settings.maxBatch()), true);
        };
        EventCollector.Outcome outcome = collector.collect(submitted.events());
        if (outcome instanceof EventCollector.Rejected rejected) {
            throw EventRefusal.badEvent(rejected.index(), describe(rejected, submitted.batch()));
        }
        return outcome;
    }

    private Submitted fromJson(byte[] body) throws EventRefusal {
        JsonEvents.Read read = JsonEvents.read(body, settings.maxBatch());
        List<byte[]> encoded = new ArrayList<>(read.events().size());
        for (UiEvent event : read.events()) {
            encoded.add(codec.encode(event));
        }
        return new Submitted(encoded, read.batch());
    }

    private void answer(Context ctx, EventCollector.Outcome outcome) {
        if (outcome instanceof EventCollector.Accepted accepted) {
            events.labelValues("accepted").inc(accepted.eventIds().size());
            ctx.status(202).json(Map.of("accepted", accepted.eventIds()));
        } else if (outcome instanceof EventCollector.Failed failed) {
            events.labelValues("accepted").inc(failed.accepted().size());
            events.labelValues("not-acknowledged").inc(failed.notAccepted().size());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("error", "Kafka acknowledged " + failed.accepted().size() + " of "
                    + (failed.accepted().size() + failed.notAccepted().size()) + " events: " + failed.reason());
            answer.put("accepted", failed.accepted());
            answer.put("notAccepted", failed.notAccepted());
            ctx.status(503).json(answer);
        }
    }

    /** The validator's detail, placed at the event: its fields are named from the event, or from its payload. */
    static String describe(EventCollector.Rejected rejected, boolean batch) {
        String event = EventPaths.event(rejected.index(), batch);
        return switch (rejected.reason()) {
            case MISSING_ID, INVALID_ID, EVENT_TIME_TOO_OLD, EVENT_TIME_IN_FUTURE ->
                    EventPaths.field(event, rejected.detail());
            case INVALID_NUMBER -> EventPaths.about(EventPaths.field(event, "payload"), rejected.detail());
            default -> EventPaths.about(event, "not a readable event (" + rejected.reason().label() + "): " + rejected.detail());
        };
    }

    /** The media type without its parameters (such as {@code ; charset=utf-8}), lower-case; empty when missing. */
    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static String clip(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 60 ? printable.substring(0, 60) + "..." : printable;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
