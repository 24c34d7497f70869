package io.nearline.operators.cassandra;

import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CassandraWriteSerializerTest {

    private static final Object[] ROW = {"member-1", "top-picks", List.of("t1", "t2"), List.of(0.5f, 0.25f), null,
            Instant.ofEpochSecond(1_700_000_000L, 123_000_000), 42L, 7, 1.5d, true, Map.of("k", "v")};

    @Test
    void bufferedRowsComeBackWithEveryValueAndItsType() throws IOException {
        CassandraWriteSerializer serializer = new CassandraWriteSerializer();

        BufferedRequestState<CassandraWrite> restored = serializer.deserialize(serializer.getVersion(),
                serializer.serialize(state(new CassandraWrite(ROW, 1), new CassandraWrite(new Object[] {"member-2", null}, 1))));

        List<RequestEntryWrapper<CassandraWrite>> entries = restored.getBufferedRequestEntries();
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).getRequestEntry().values()).containsExactly(ROW);
        assertThat(entries.get(0).getRequestEntry().partitionKeyColumns()).isEqualTo(1);
        assertThat(entries.get(1).getRequestEntry().values()).containsExactly("member-2", null);
    }

    @Test
    void stateWrittenByTheFirstVersionIsStillRead() throws IOException {
        // The first version: each row's values as one Java object stream, length-prefixed.
        AsyncSinkWriterStateSerializer<CassandraWrite> first = new AsyncSinkWriterStateSerializer<>() {
            @Override
            protected void serializeRequestToStream(CassandraWrite write, DataOutputStream out) throws IOException {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream objects = new ObjectOutputStream(bytes)) {
                    objects.writeObject(write.values());
                }
                out.writeInt(write.partitionKeyColumns());
                out.writeInt(bytes.size());
                bytes.writeTo(out);
            }

            @Override
            protected CassandraWrite deserializeRequestFromStream(long size, DataInputStream in) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int getVersion() {
                return 1;
            }
        };

        BufferedRequestState<CassandraWrite> restored = new CassandraWriteSerializer().deserialize(1,
                first.serialize(state(new CassandraWrite(ROW, 2))));

        assertThat(restored.getBufferedRequestEntries().get(0).getRequestEntry().values()).containsExactly(ROW);
        assertThat(restored.getBufferedRequestEntries().get(0).getRequestEntry().partitionKeyColumns()).isEqualTo(2);
    }

    private static BufferedRequestState<CassandraWrite> state(CassandraWrite... writes) {
        List<RequestEntryWrapper<CassandraWrite>> entries = new ArrayList<>();
        Arrays.stream(writes).forEach(w -> entries.add(new RequestEntryWrapper<>(w, w.sizeInBytes())));
        return new BufferedRequestState<>(entries);
    }
}
