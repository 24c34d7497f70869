package io.nearline.operators.cassandra;

import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checkpoints buffered and held rows. Version 2 writes each value with a one-byte tag (strings, numbers, instants,
 * lists of them; anything else Java-serialized): with write-behind a checkpoint holds tens of thousands of rows, and
 * a Java object stream per row took a tenth of the TaskManager's CPU. Version 1 (a Java object stream per row) is
 * still read.
 */
class CassandraWriteSerializer extends AsyncSinkWriterStateSerializer<CassandraWrite> {

    private static final int VERSION = 2;

    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte INT = 2;
    private static final byte LONG = 3;
    private static final byte FLOAT = 4;
    private static final byte DOUBLE = 5;
    private static final byte BOOLEAN = 6;
    private static final byte INSTANT = 7;
    private static final byte LIST = 8;
    private static final byte SERIALIZED = 9;

    /** The version being read: the per-entry method is not told it. A serializer is used by one thread at a time. */
    private int reading = VERSION;

    @Override
    public BufferedRequestState<CassandraWrite> deserialize(int version, byte[] serialized) throws IOException {
        if (version != 1 && version != VERSION) {
            throw new IOException("unknown version " + version + " of buffered Cassandra writes");
        }
        reading = version;
        try {
            return super.deserialize(version, serialized);
        } finally {
            reading = VERSION;
        }
    }

    @Override
    protected void serializeRequestToStream(CassandraWrite write, DataOutputStream out) throws IOException {
        out.writeInt(write.partitionKeyColumns());
        Object[] values = write.values();
        out.writeInt(values.length);
        for (Object value : values) {
            writeValue(value, out);
        }
    }

    @Override
    protected CassandraWrite deserializeRequestFromStream(long size, DataInputStream in) throws IOException {
        int partitionKeyColumns = in.readInt();
        if (reading == 1) {
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            return new CassandraWrite((Object[]) javaObject(bytes), partitionKeyColumns);
        }
        Object[] values = new Object[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = readValue(in);
        }
        return new CassandraWrite(values, partitionKeyColumns);
    }

    private static void writeValue(Object value, DataOutputStream out) throws IOException {
        if (value == null) {
            out.writeByte(NULL);
        } else if (value instanceof String s) {
            out.writeByte(STRING);
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            out.writeInt(bytes.length);
            out.write(bytes);
        } else if (value instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (value instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (value instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeFloat(f);
        } else if (value instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (value instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(b);
        } else if (value instanceof Instant t) {
            out.writeByte(INSTANT);
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        } else if (value instanceof List<?> list) {
            out.writeByte(LIST);
            out.writeInt(list.size());
            for (Object element : list) {
                writeValue(element, out);
            }
        } else {
            out.writeByte(SERIALIZED);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream objects = new ObjectOutputStream(bytes)) {
                objects.writeObject(value);
            }
            out.writeInt(bytes.size());
            bytes.writeTo(out);
        }
    }

    private static Object readValue(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case NULL:
                return null;
            case STRING: {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            case INT:
                return in.readInt();
            case LONG:
                return in.readLong();
            case FLOAT:
                return in.readFloat();
            case DOUBLE:
                return in.readDouble();
            case BOOLEAN:
                return in.readBoolean();
            case INSTANT:
                return Instant.ofEpochSecond(in.readLong(), in.readInt());
            case LIST: {
                int size = in.readInt();
                List<Object> list = new ArrayList<>(size);
                for (int i = 0; i < size; i++) {
                    list.add(readValue(in));
                }
                return list;
            }
            case SERIALIZED: {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                return javaObject(bytes);
            }
            default:
                throw new IOException("unknown value tag " + tag + " in a buffered Cassandra write");
        }
    }

    private static Object javaObject(byte[] bytes) throws IOException {
        try (ObjectInputStream objects = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return objects.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("cannot restore a buffered Cassandra write", e);
        }
    }

    @Override
    public int getVersion() {
        return VERSION;
    }
}
