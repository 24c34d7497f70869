package io.nearline.operators.cassandra;

import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;

/** Checkpoints buffered rows. Values are Java-serialized: they are plain JDK types (strings, numbers, lists, instants). */
class CassandraWriteSerializer extends AsyncSinkWriterStateSerializer<CassandraWrite> {

    @Override
    protected void serializeRequestToStream(CassandraWrite write, DataOutputStream out) throws IOException {
        // Length-prefixed, because an ObjectInputStream may read ahead of its object.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream objects = new ObjectOutputStream(bytes)) {
            objects.writeObject(write.values());
        }
        out.writeInt(write.partitionKeyColumns());
        out.writeInt(bytes.size());
        bytes.writeTo(out);
    }

    @Override
    protected CassandraWrite deserializeRequestFromStream(long size, DataInputStream in) throws IOException {
        int partitionKeyColumns = in.readInt();
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        try (ObjectInputStream objects = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return new CassandraWrite((Object[]) objects.readObject(), partitionKeyColumns);
        } catch (ClassNotFoundException e) {
            throw new IOException("cannot restore a buffered Cassandra write", e);
        }
    }

    @Override
    public int getVersion() {
        return 1;
    }
}
