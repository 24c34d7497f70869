package io.nearline.serving.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.nearline.schemas.event.UiEvent;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Reads UI events from their JSON form: an object with the fields of {@code ui-event.avsc}, whose {@code payload}
 * names its record in {@code type} ({@code "PlayStarted"}, ...), or an array of such objects. The mapping follows
 * the schema itself, so a field added to it is read without a change here; fields with a default may be left out.
 * {@code eventTime} is epoch milliseconds or an ISO-8601 time with a zone offset. Unknown fields are refused, so
 * that a misspelt optional field is not silently replaced by its default.
 */
public final class JsonEvents {

    /** What a body held: its events, and whether they came as an array (a batch) or as one object. */
    public record Read(List<UiEvent> events, boolean batch) {}

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final SpecificData DATA = new SpecificData(UiEvent.class.getClassLoader());
    private static final String TYPE = "type";

    private JsonEvents() {}

    /** The body's events; a body or event that is not one gets its refusal (a batch longer than {@code maxBatch}: 413). */
    public static Read read(byte[] body, int maxBatch) throws EventRefusal {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw EventRefusal.badRequest("malformed JSON: " + oneLine(e.getOriginalMessage()) + at(e.getLocation()));
        } catch (IOException e) {
            throw EventRefusal.badRequest("malformed JSON: " + oneLine(e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw EventRefusal.badRequest("the body is empty");
        }
        if (root.isObject()) {
            return new Read(List.of(event(root, 0, false)), false);
        }
        if (!root.isArray()) {
            throw EventRefusal.badRequest("the body must be an event object or an array of them, not " + kind(root));
        }
        if (root.isEmpty()) {
            throw EventRefusal.badRequest("events: the batch is empty");
        }
        if (root.size() > maxBatch) {
            throw EventRefusal.tooLarge("a batch holds at most " + maxBatch + " events, this one " + root.size());
        }
        List<UiEvent> events = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            events.add(event(root.get(i), i, true));
        }
        return new Read(events, true);
    }

    private static UiEvent event(JsonNode node, int index, boolean batch) throws EventRefusal {
        String path = EventPaths.event(index, batch);
        try {
            if (!node.isObject()) {
                throw new Bad((path.isEmpty() ? "the event" : path) + " must be an object, not " + kind(node));
            }
            return (UiEvent) record(node, UiEvent.SCHEMA$, path, false);
        } catch (Bad e) {
            throw EventRefusal.badEvent(index, e.getMessage());
        }
    }

    private static Object value(JsonNode node, Schema schema, String path) throws Bad {
        return switch (schema.getType()) {
            case RECORD -> {
                if (!node.isObject()) {
                    throw mismatch(path, "an object", node);
                }
                yield record(node, schema, path, false);
            }
            case UNION -> union(node, schema, path);
            case STRING -> {
                if (!node.isTextual()) {
                    throw mismatch(path, "a string", node);
                }
                yield node.textValue();
            }
            case DOUBLE -> {
                if (!node.isNumber()) {
                    throw mismatch(path, "a number", node);
                }
                yield node.doubleValue();
            }
            case INT -> {
                if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                    throw mismatch(path, "a whole number that fits 32 bits", node);
                }
                yield node.intValue();
            }
            case LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis ? time(node, path) : whole(node, path);
            case ENUM -> symbol(node, schema, path);
            case ARRAY -> {
                if (!node.isArray()) {
                    throw mismatch(path, "an array", node);
                }
                List<Object> items = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    items.add(value(node.get(i), schema.getElementType(), path + "[" + i + "]"));
                }
                yield items;
            }
            // Not in the event schema today; a type added to it must be mapped here, and the tests of every payload
            // type fail until it is.
            default -> throw new IllegalStateException("no JSON mapping for Avro type " + schema.getType() + " at " + path);
        };
    }

    private static Object record(JsonNode node, Schema schema, String path, boolean typed) throws Bad {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (schema.getField(name) == null && !(typed && name.equals(TYPE))) {
                throw new Bad(EventPaths.field(path, name) + " is not a field of " + schema.getName()
                        + " (fields: " + schema.getFields().stream().map(Schema.Field::name).toList() + ")");
            }
        }
        IndexedRecord record = (IndexedRecord) DATA.newRecord(null, schema);
        for (Schema.Field field : schema.getFields()) {
            JsonNode child = node.get(field.name());
            String at = EventPaths.field(path, field.name());
            if (child != null) {
                record.put(field.pos(), value(child, field.schema(), at));
            } else if (field.hasDefaultValue()) {
                record.put(field.pos(), DATA.getDefaultValue(field));
            } else {
                throw new Bad(at + " is missing");
            }
        }
        return record;
    }

    /** A nullable value, or the payload: a union of records told apart by {@code type}, the record's name. */
    private static Object union(JsonNode node, Schema union, String path) throws Bad {
        List<Schema> types = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
        if (node.isNull()) {
            if (types.size() < union.getTypes().size()) {
                return null;
            }
            throw mismatch(path, "an object", node);
        }
        if (types.size() == 1) {
            return value(node, types.get(0), path);
        }
        List<String> names = types.stream().map(Schema::getName).toList();
        if (!node.isObject()) {
            throw mismatch(path, "an object with a type", node);
        }
        JsonNode type = node.get(TYPE);
        String typePath = EventPaths.field(path, TYPE);
        if (type == null || !type.isTextual()) {
            throw new Bad(typePath + " is missing or not a string; one of " + names);
        }
        for (Schema candidate : types) {
            if (candidate.getType() == Schema.Type.RECORD && candidate.getName().equals(type.textValue())) {
                return record(node, candidate, path, true);
            }
        }
        throw new Bad(typePath + " '" + clip(type.textValue()) + "' is not a payload type; one of " + names);
    }

    private static Instant time(JsonNode node, String path) throws Bad {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return Instant.ofEpochMilli(node.longValue());
        }
        if (node.isTextual()) {
            try {
                // Avro keeps milliseconds; finer digits would be dropped on the wire anyway.
                return Instant.parse(node.textValue()).truncatedTo(ChronoUnit.MILLIS);
            } catch (DateTimeException e) {
                // the message below says what is accepted
            }
        }
        throw new Bad(path + " must be epoch milliseconds or an ISO-8601 time with a zone offset "
                + "(2025-01-31T20:15:00Z), not " + shown(node));
    }

    private static long whole(JsonNode node, String path) throws Bad {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw mismatch(path, "a whole number that fits 64 bits", node);
        }
        return node.longValue();
    }

    private static Object symbol(JsonNode node, Schema schema, String path) throws Bad {
        if (node.isTextual()) {
            String wanted = node.textValue().toUpperCase(Locale.ROOT);
            for (String symbol : schema.getEnumSymbols()) {
                if (symbol.equals(wanted)) {
                    return DATA.createEnum(symbol, schema);
                }
            }
        }
        throw new Bad(path + " must be one of " + schema.getEnumSymbols() + ", not " + shown(node));
    }

    private static Bad mismatch(String path, String expected, JsonNode node) {
        return new Bad(path + " must be " + expected + ", not " + shown(node));
    }

    /** A value as the message shows it: strings quoted and clipped, other kinds by kind. */
    private static String shown(JsonNode node) {
        if (node.isTextual()) {
            return "'" + clip(node.textValue()) + "'";
        }
        return node.isNumber() ? node.asText() : kind(node);
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String clip(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    private static String oneLine(String message) {
        String line = message == null ? "" : message.replaceAll("\\s+", " ").trim();
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** A field that is not what the schema says, with the one-line reason naming it. */
    private static final class Bad extends Exception {
        private static final long serialVersionUID = 1L;

        Bad(String message) {
            super(message, null, false, false);
        }
    }
}
