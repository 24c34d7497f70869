package io.nearline.sinks;

import io.nearline.operators.cache.CacheEntryMapper;
import io.nearline.operators.cache.CacheOptions;
import io.nearline.operators.cache.MemcachedSink;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import net.rubyeye.xmemcached.MemcachedClient;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.testframe.environment.MiniClusterTestEnvironment;
import org.apache.flink.connector.testframe.external.ExternalContextFactory;
import org.apache.flink.connector.testframe.external.ExternalSystemDataReader;
import org.apache.flink.connector.testframe.external.sink.TestingSinkSettings;
import org.apache.flink.connector.testframe.junit.annotations.TestContext;
import org.apache.flink.connector.testframe.junit.annotations.TestEnv;
import org.apache.flink.connector.testframe.junit.annotations.TestSemantics;
import org.apache.flink.connector.testframe.testsuites.SinkTestSuiteBase;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Flink's standard sink cases for the memcached cache sink, with memcached up. */
@RealServices(Service.MEMCACHED)
@Timeout(value = 3, unit = TimeUnit.MINUTES) // the suite waits for its results without a limit
class MemcachedSinkITCase extends SinkTestSuiteBase<SinkTestRow> {

    private static TestServices services;

    @TestEnv
    MiniClusterTestEnvironment flink = new MiniClusterTestEnvironment();

    // Sets overwrite by key, so the cache ends up exact under either mode.
    @TestSemantics
    CheckpointingMode[] semantics = {CheckpointingMode.EXACTLY_ONCE, CheckpointingMode.AT_LEAST_ONCE};

    @TestContext
    ExternalContextFactory<Context> contexts = testName -> new Context(services);

    @BeforeAll
    static void keep(TestServices testServices) {
        services = testServices;
    }

    /** Reads back, by key, each row of this context's own test data once. */
    static final class Context extends TrackingSinkContext {
        private final TestServices services;

        Context(TestServices services) {
            this.services = services;
        }

        @Override
        public Sink<SinkTestRow> createSink(TestingSinkSettings settings) {
            Configuration config = new Configuration();
            config.set(CacheOptions.SERVERS, List.of(services.endpoints().memcachedAddress()));
            return MemcachedSink.of(new Mapper(), config);
        }

        @Override
        public ExternalSystemDataReader<SinkTestRow> createSinkDataReader(TestingSinkSettings settings) {
            MemcachedClient client = services.memcached();
            Set<String> returned = ConcurrentHashMap.newKeySet();
            return new ExternalSystemDataReader<>() {
                @Override
                public List<SinkTestRow> poll(Duration timeout) {
                    List<String> keys = generatedIds().stream().filter(id -> !returned.contains(id))
                            .map(Mapper::keyOf).toList();
                    List<SinkTestRow> rows = new ArrayList<>();
                    try {
                        Map<String, byte[]> values = client.get(keys);
                        values.forEach((key, value) -> {
                            SinkTestRow row = Mapper.decode(value);
                            if (returned.add(row.id())) {
                                rows.add(row);
                            }
                        });
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return rows;
                }

                @Override
                public void close() {}
            };
        }

    }

    /** Key {@code sinktest:<id>}; value the value as four bytes, then the id. */
    static final class Mapper implements CacheEntryMapper<SinkTestRow> {
        static String keyOf(String id) {
            return "sinktest:" + id;
        }

        static SinkTestRow decode(byte[] bytes) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            int value = buffer.getInt();
            return new SinkTestRow(StandardCharsets.UTF_8.decode(buffer).toString(), value);
        }

        @Override
        public String key(SinkTestRow row) {
            return keyOf(row.id());
        }

        @Override
        public byte[] value(SinkTestRow row) {
            byte[] id = row.id().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(4 + id.length).putInt(row.value()).put(id).array();
        }
    }
}
