package io.nearline.serving;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** The service's metrics, in Prometheus' text format at {@code GET /metrics}. */
final class ServingMetrics {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    final Counter requests = Counter.builder().name("nearline_serving_requests_total")
            .help("Requests answered, by endpoint and HTTP status.").labelNames("endpoint", "status").register(registry);
    final Histogram latency = Histogram.builder().name("nearline_serving_request_seconds")
            .help("Time to answer a request, by endpoint.").labelNames("endpoint")
            .classicUpperBounds(0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1)
            .register(registry);
    final Counter rows = Counter.builder().name("nearline_serving_rows_total")
            .help("Rows served, by source: cache, cassandra, fallback-trending, fallback-popularity; near says whether "
                    + "the service's own memory answered.").labelNames("source", "near").register(registry);
    final Counter fallbacks = Counter.builder().name("nearline_serving_fallbacks_total")
            .help("Answers from the precomputed fallback, by cause: deadline (a store did not answer in time or failed) "
                    + "or unknown (no rows for the member).").labelNames("cause").register(registry);
    final Counter events = Counter.builder().name("nearline_serving_events_total")
            .help("Events posted to /v1/events, by outcome: accepted (acknowledged by Kafka), rejected (the invalid event "
                    + "a 400 names) or not-acknowledged (valid, but Kafka did not acknowledge it in time).")
            .labelNames("outcome").register(registry);

    final Counter galleries = Counter.builder().name("nearline_serving_galleries_total")
            .help("Galleries answered, by source: computed (ranked for the member), trending or popularity (fallbacks).")
            .labelNames("source").register(registry);

    String scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
