package io.nearline.sinks;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.testframe.external.sink.DataStreamSinkV2ExternalContext;
import org.apache.flink.connector.testframe.external.sink.TestingSinkSettings;

import java.net.URL;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sink test context that remembers the ids of the data it generated, so that its readers return only
 * this context's rows, each once, from stores shared between test cases.
 */
abstract class TrackingSinkContext implements DataStreamSinkV2ExternalContext<SinkTestRow> {

    private final Set<String> generatedIds = ConcurrentHashMap.newKeySet();

    /** The ids this context generated so far. */
    protected Set<String> generatedIds() {
        return generatedIds;
    }

    @Override
    public List<SinkTestRow> generateTestData(TestingSinkSettings settings, long seed) {
        List<SinkTestRow> rows = SinkTestRow.generate(seed);
        rows.forEach(row -> generatedIds.add(row.id()));
        return rows;
    }

    @Override
    public TypeInformation<SinkTestRow> getProducedType() {
        return TypeInformation.of(SinkTestRow.class);
    }

    @Override
    public List<URL> getConnectorJarPaths() {
        return List.of(); // the sinks are on the test classpath of the in-process cluster
    }

    @Override
    public void close() {}
}
