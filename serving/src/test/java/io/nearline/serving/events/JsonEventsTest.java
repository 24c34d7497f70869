package io.nearline.serving.events;

import io.nearline.schemas.EventKind;
import io.nearline.schemas.UiEvents;
import io.nearline.schemas.event.DeviceType;
import io.nearline.schemas.event.Rating;
import io.nearline.schemas.event.UiEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonEventsTest {

    private static final long TIME = Instant.parse("2025-03-01T20:15:00.123Z").toEpochMilli();

    /** The JSON a client writes for the payload {@link UiEvents#payload} builds for title t1. */
    private static String payloadJson(EventKind kind) {
        return switch (kind) {
            case PLAY_STARTED -> "{'type':'PlayStarted','titleId':'t1','positionSeconds':0}";
            case PLAY_PROGRESS -> "{'type':'PlayProgress','titleId':'t1','positionSeconds':600,'durationSeconds':5400.0}";
            case PLAY_STOPPED -> "{'type':'PlayStopped','titleId':'t1','positionSeconds':1200,'durationSeconds':5400}";
            case PLAY_COMPLETED -> "{'type':'PlayCompleted','titleId':'t1','durationSeconds':5400}";
            case RATING -> "{'type':'Rating','titleId':'t1','thumb':'UP','stars':4.5}";
            case LIST_ADD -> "{'type':'ListAdd','titleId':'t1'}";
            case LIST_REMOVE -> "{'type':'ListRemove','titleId':'t1'}";
            case IMPRESSION -> "{'type':'Impression','rowName':'top-picks','positions':[0,1],'titleIds':['t1','t1-next']}";
            case BROWSE -> "{'type':'Browse','pageName':'home'}";
            case SCROLL -> "{'type':'Scroll','rowName':'top-picks','fromPosition':0,'toPosition':5}";
            case SEARCH -> "{'type':'Search','query':'space','titleIds':['t1']}";
        };
    }

    private static String event(String id, String payload) {
        return "{'eventId':'" + id + "','memberId':'m1','profileId':'m1','eventTime':" + TIME + ","
                + "'context':{'deviceType':'TV','country':'US','appVersion':'1.0.0','sessionId':''},"
                + "'payload':" + payload + "}";
    }

    private static byte[] body(String singleQuoted) {
        return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(EventKind.class)
    void everyPayloadTypeIsReadFromItsJsonForm(EventKind kind) throws Exception {
        JsonEvents.Read read = JsonEvents.read(body(event("e1", payloadJson(kind))), 10);

        UiEvent expected = UiEvents.event("e1", "m1", Instant.ofEpochMilli(TIME), UiEvents.payload(kind, "t1"));
        assertThat(read.batch()).isFalse();
        assertThat(read.events()).containsExactly(expected);
        assertThat(EventKind.of(read.events().get(0))).isEqualTo(kind);
    }

    @Test
    void aBatchIsReadInOrder() throws Exception {
        JsonEvents.Read read = JsonEvents.read(body("[" + event("e1", payloadJson(EventKind.LIST_ADD)) + ","
                + event("e2", payloadJson(EventKind.BROWSE)) + "]"), 2);

        assertThat(read.batch()).isTrue();
        assertThat(read.events()).extracting(UiEvent::getEventId).containsExactly("e1", "e2");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "1740860100123|2025-03-01T20:15:00.123Z",
        "'2025-03-01T20:15:00.123Z'|2025-03-01T20:15:00.123Z",
        "'2025-03-01T22:15:00.123+02:00'|2025-03-01T20:15:00.123Z",
        "'2025-03-01T20:15:00.123456Z'|2025-03-01T20:15:00.123Z",
    })
    void eventTimeIsEpochMillisOrAnIsoTimeWithAnOffset(String json, String expected) throws Exception {
        String event = event("e1", payloadJson(EventKind.LIST_ADD)).replace("'eventTime':" + TIME, "'eventTime':" + json);

        assertThat(JsonEvents.read(body(event), 1).events().get(0).getEventTime()).isEqualTo(Instant.parse(expected));
    }

    @Test
    void fieldsWithADefaultMayBeLeftOutAndEnumSymbolsIgnoreCase() throws Exception {
        String event = event("e1", "{'type':'Rating','titleId':'t1'}").replace(",'sessionId':''", "")
                .replace("'TV'", "'web'");

        UiEvent read = JsonEvents.read(body(event), 1).events().get(0);

        assertThat(read.getContext().getSessionId()).isEmpty();
        assertThat(read.getContext().getDeviceType()).isEqualTo(DeviceType.WEB);
        assertThat((Rating) read.getPayload()).isEqualTo(new Rating("t1", null, null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // what is replaced in a valid event | by what | the one line | the index at fault, empty for the body
        "'eventId':'e1'|'eventId':7|eventId must be a string, not 7|0",
        "'eventId':'e1',|\"\"|eventId is missing|0",
        "'memberId':'m1'|'memberId':null|memberId must be a string, not null|0",
        "'eventId':'e1'|'eventId':'e1','userId':'u'|userId is not a field of UiEvent|0",
        "'eventTime':1740860100123|'eventTime':'2025-03-01T20:15:00'|eventTime must be epoch milliseconds or an ISO-8601 time|0",
        "'eventTime':1740860100123|'eventTime':1.7e12|eventTime must be epoch milliseconds|0",
        "'eventTime':1740860100123|'eventTime':'yesterday'|eventTime must be epoch milliseconds or an ISO-8601 time with a zone offset (2025-01-31T20:15:00Z), not 'yesterday'|0",
        "'deviceType':'TV'|'deviceType':'FRIDGE'|context.deviceType must be one of [TV, WEB, PHONE, TABLET, GAME_CONSOLE, OTHER], not 'FRIDGE'|0",
        "'country':'US',|\"\"|context.country is missing|0",
        "'context':{'deviceType':'TV','country':'US','appVersion':'1.0.0','sessionId':''}|'context':'TV'|context must be an object, not 'TV'|0",
        "{'type':'ListAdd','titleId':'t1'}|'ListAdd'|payload must be an object with a type, not 'ListAdd'|0",
        "'type':'ListAdd'|'type':'Purchase'|payload.type 'Purchase' is not a payload type; one of [PlayStarted, PlayProgress|0",
        "'type':'ListAdd',|\"\"|payload.type is missing or not a string|0",
        "'titleId':'t1'|'titleID':'t1'|payload.titleID is not a field of ListAdd (fields: [titleId])|0",
        "'titleId':'t1'|'titleId':['t1']|payload.titleId must be a string, not array|0",
        "{'type':'ListAdd','titleId':'t1'}|{'type':'PlayStarted','titleId':'t1','positionSeconds':'0'}|payload.positionSeconds must be a number, not '0'|0",
        "{'type':'ListAdd','titleId':'t1'}|{'type':'Scroll','rowName':'r','fromPosition':1.5,'toPosition':2}|payload.fromPosition must be a whole number that fits 32 bits, not 1.5|0",
        "{'type':'ListAdd','titleId':'t1'}|{'type':'Impression','rowName':'r','positions':[0,4294967296],'titleIds':[]}|payload.positions[1] must be a whole number that fits 32 bits|0",
        "{'type':'ListAdd','titleId':'t1'}|{'type':'Rating','titleId':'t1','thumb':'SIDEWAYS'}|payload.thumb must be one of [UP, DOWN], not 'SIDEWAYS'|0",
        "'eventId':'e1'|'eventId':'e1','eventId':'e2'|malformed JSON: Duplicate field 'eventId'|",
        "'eventId':'e1'|'eventId':'e1'}|malformed JSON|",
    })
    void eachKindOfBadFieldGetsAOneLineMessageNamingIt(String replaced, String by, String message, Integer index) {
        String event = event("e1", payloadJson(EventKind.LIST_ADD)).replace("'eventTime':" + TIME, "'eventTime':1740860100123");
        assertThat(event).contains(replaced);

        assertThatThrownBy(() -> JsonEvents.read(body(event.replace(replaced, by)), 10))
                .isInstanceOfSatisfying(EventRefusal.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.index()).isEqualTo(index);
                })
                .hasMessageStartingWith(message)
                .hasMessageNotContaining("\n");
    }

    @Test
    void inABatchTheMessageNamesTheEventAndItsIndex() {
        String good = event("e1", payloadJson(EventKind.LIST_ADD));
        String bad = good.replace("'titleId':'t1'", "'titleId':1");

        assertThatThrownBy(() -> JsonEvents.read(body("[" + good + "," + good + "," + bad + "]"), 10))
                .isInstanceOfSatisfying(EventRefusal.class, e -> assertThat(e.index()).isEqualTo(2))
                .hasMessage("events[2].payload.titleId must be a string, not 1");
        assertThatThrownBy(() -> JsonEvents.read(body("[" + good + ",3]"), 10))
                .hasMessage("events[1] must be an object, not number");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "\"\"|the body is empty",
        "\" \"|the body is empty",
        "[]|events: the batch is empty",
        "42|the body must be an event object or an array of them, not number",
    })
    void aBodyWithoutEventsIsRefused(String json, String message) {
        assertThatThrownBy(() -> JsonEvents.read(json.getBytes(StandardCharsets.UTF_8), 10))
                .isInstanceOfSatisfying(EventRefusal.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage(message);
    }

    @Test
    void aBatchLongerThanTheLimitIsA413() {
        String good = event("e1", payloadJson(EventKind.LIST_ADD));

        assertThatThrownBy(() -> JsonEvents.read(body("[" + good + "," + good + "," + good + "]"), 2))
                .isInstanceOfSatisfying(EventRefusal.class, e -> assertThat(e.status()).isEqualTo(413))
                .hasMessage("a batch holds at most 2 events, this one 3");
    }
}
