package io.nearline.operators.cassandra;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.DataType;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.ListType;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import com.datastax.oss.driver.api.core.type.reflect.GenericType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encoders for the two list types every recommendation and factor row carries ({@code list<text>} of title ids,
 * {@code list<float>} of scores), writing one buffer per list. The driver's list codec allocates a buffer per element
 * and encodes text through a {@code CharsetEncoder}; for rows of dozens of titles that was most of the sink's share of
 * the TaskManager's CPU. The bytes are the protocol's, the same as the driver's ({@code ListCodecsTest}); decoding
 * is the driver's.
 */
final class ListCodecs {

    static final TypeCodec<List<String>> TEXT_LIST = new TextList();
    static final TypeCodec<List<Float>> FLOAT_LIST = new FloatList();

    private ListCodecs() {}

    /** This class's encoder for a column of {@code type}, or null when the driver's should be used. */
    @SuppressWarnings("unchecked")
    static TypeCodec<Object> forColumn(DataType type) {
        if (type instanceof ListType list) {
            if (list.getElementType().equals(DataTypes.TEXT)) {
                return (TypeCodec<Object>) (TypeCodec<?>) TEXT_LIST;
            }
            if (list.getElementType().equals(DataTypes.FLOAT)) {
                return (TypeCodec<Object>) (TypeCodec<?>) FLOAT_LIST;
            }
        }
        return null;
    }

    /** Encodes with this class's own code; decodes, formats and parses with the driver's codec for the same type. */
    private abstract static class EncodingOnly<T> implements TypeCodec<List<T>> {
        private final TypeCodec<List<T>> driver;
        private final Class<T> element;
        private final DataType cqlElement;

        EncodingOnly(TypeCodec<T> elementCodec, Class<T> element, DataType cqlElement) {
            this.driver = TypeCodecs.listOf(elementCodec);
            this.element = element;
            this.cqlElement = cqlElement;
        }

        @Override
        public GenericType<List<T>> getJavaType() {
            return GenericType.listOf(element);
        }

        @Override
        public DataType getCqlType() {
            return DataTypes.listOf(cqlElement);
        }

        @Override
        public boolean accepts(Object value) {
            return value instanceof List<?> list && (list.isEmpty() || element.isInstance(list.get(0)));
        }

        @Override
        public List<T> decode(ByteBuffer bytes, ProtocolVersion protocolVersion) {
            return driver.decode(bytes, protocolVersion);
        }

        @Override
        public String format(List<T> value) {
            return driver.format(value);
        }

        @Override
        public List<T> parse(String value) {
            return driver.parse(value);
        }
    }

    private static final class TextList extends EncodingOnly<String> {
        TextList() {
            super(TypeCodecs.TEXT, String.class, DataTypes.TEXT);
        }

        @Override
        public ByteBuffer encode(List<String> value, ProtocolVersion protocolVersion) {
            if (value == null) {
                return null;
            }
            int n = value.size();
            // Title ids are ASCII: one byte per char, written directly. Anything else goes through getBytes.
            byte[][] other = null;
            int size = 4;
            for (int i = 0; i < n; i++) {
                String element = value.get(i);
                if (element == null) {
                    throw new NullPointerException("Collection elements cannot be null");
                }
                if (ascii(element)) {
                    size += 4 + element.length();
                } else {
                    if (other == null) {
                        other = new byte[n][];
                    }
                    other[i] = element.getBytes(StandardCharsets.UTF_8);
                    size += 4 + other[i].length;
                }
            }
            ByteBuffer out = ByteBuffer.allocate(size);
            out.putInt(n);
            for (int i = 0; i < n; i++) {
                if (other != null && other[i] != null) {
                    out.putInt(other[i].length).put(other[i]);
                } else {
                    String element = value.get(i);
                    out.putInt(element.length());
                    for (int c = 0; c < element.length(); c++) {
                        out.put((byte) element.charAt(c));
                    }
                }
            }
            return out.flip();
        }

        private static boolean ascii(String s) {
            for (int c = 0; c < s.length(); c++) {
                if (s.charAt(c) >= 0x80) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final class FloatList extends EncodingOnly<Float> {
        FloatList() {
            super(TypeCodecs.FLOAT, Float.class, DataTypes.FLOAT);
        }

        @Override
        public ByteBuffer encode(List<Float> value, ProtocolVersion protocolVersion) {
            if (value == null) {
                return null;
            }
            int n = value.size();
            ByteBuffer out = ByteBuffer.allocate(4 + 8 * n);
            out.putInt(n);
            for (int i = 0; i < n; i++) {
                Float element = value.get(i);
                if (element == null) {
                    throw new NullPointerException("Collection elements cannot be null");
                }
                out.putInt(4).putFloat(element);
            }
            return out.flip();
        }
    }
}
