package io.nearline.serving.events;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroFramesTest {

    @Test
    void aJoinedBatchSplitsIntoTheSameEvents() throws Exception {
        List<byte[]> events = List.of(new byte[] {1, 2, 3}, new byte[] {4}, new byte[] {5, 6});

        assertThat(AvroFrames.split(AvroFrames.join(events), 3)).containsExactlyElementsOf(events);
    }

    @Test
    void aLengthRunningPastTheBodyNamesTheEvent() {
        byte[] body = ByteBuffer.allocate(4 + 2 + 4 + 1).putInt(2).put(new byte[] {1, 2}).putInt(9).put((byte) 3).array();

        assertThatThrownBy(() -> AvroFrames.split(body, 10))
                .isInstanceOfSatisfying(EventRefusal.class, e -> assertThat(e.index()).isEqualTo(1))
                .hasMessage("events[1]: length 9 is not between 1 and the 1 bytes left");
    }

    @Test
    void aBodyEndingInsideALengthNamesTheEvent() {
        byte[] body = ByteBuffer.allocate(4 + 1 + 2).putInt(1).put((byte) 1).put(new byte[] {0, 0}).array();

        assertThatThrownBy(() -> AvroFrames.split(body, 10))
                .isInstanceOfSatisfying(EventRefusal.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessage("events[1]: 2 bytes left where a 4-byte length should be");
    }

    @Test
    void moreEventsThanTheLimitAreA413() {
        byte[] body = AvroFrames.join(List.of(new byte[] {1}, new byte[] {2}, new byte[] {3}));

        assertThatThrownBy(() -> AvroFrames.split(body, 2))
                .isInstanceOfSatisfying(EventRefusal.class, e -> assertThat(e.status()).isEqualTo(413));
    }
}
