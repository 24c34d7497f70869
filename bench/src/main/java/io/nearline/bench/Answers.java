package io.nearline.bench;

import java.util.Map;

/**
 * What the service answered from one moment on, by its own /metrics: the share of answers that came from their source
 * rather than a fallback, which wrk, counting responses, cannot tell apart.
 */
final class Answers {

    private final int port;
    private final Map<String, Double> requests;
    private final Map<String, Double> fallbacks;
    private final Map<String, Double> galleries;

    Answers(int port) throws Exception {
        this.port = port;
        this.requests = ServingBenchmark.counters(port, "nearline_serving_requests_total");
        this.fallbacks = ServingBenchmark.counters(port, "nearline_serving_fallbacks_total");
        this.galleries = ServingBenchmark.counters(port, "nearline_serving_galleries_total");
    }

    /** Of the rows answered since, the share that did not come from the fallback. */
    double rowsNotFallback() throws Exception {
        String ok = "endpoint=\"rows\",status=\"200\"";
        double answered = ServingBenchmark.sum(ServingBenchmark.counters(port, "nearline_serving_requests_total"), ok)
                - ServingBenchmark.sum(requests, ok);
        double fellBack = ServingBenchmark.sum(ServingBenchmark.counters(port, "nearline_serving_fallbacks_total"), "")
                - ServingBenchmark.sum(fallbacks, "");
        return answered <= 0 ? 0 : (answered - fellBack) / answered;
    }

    /** Of the galleries answered since, the share computed for the member rather than a fallback. */
    double galleriesComputed() throws Exception {
        Map<String, Double> now = ServingBenchmark.counters(port, "nearline_serving_galleries_total");
        String computed = "source=\"computed\"";
        double answered = ServingBenchmark.sum(now, "") - ServingBenchmark.sum(galleries, "");
        double fromRanking = ServingBenchmark.sum(now, computed) - ServingBenchmark.sum(galleries, computed);
        return answered <= 0 ? 0 : fromRanking / answered;
    }
}
