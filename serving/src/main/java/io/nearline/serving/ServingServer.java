package io.nearline.serving;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.serving.ServingOptions;
import io.nearline.serving.events.EventsEndpoint;
import org.apache.flink.configuration.ReadableConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The HTTP API of the online service (Javalin). Malformed ids and limits out of range get a 400 with a one-line
 * reason; unknown members get the fallback; a store that fails never turns into a 500.
 */
public final class ServingServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServingServer.class);
    /** Member and title ids: what the event schema allows in practice, and nothing that needs escaping in a cache key. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,127}");
    private static final Pattern DEVICE = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}|ALL|all");
    /** Where the console's files are in the jar. */
    private static final String CONSOLE = "/io/nearline/serving/console";
    /** A catalog facet value, {@code <facet>:<value>}: values are free text (genres, tags), but one printable line. */
    private static final Pattern FACET = Pattern.compile("[A-Za-z0-9_.-]{1,64}:[^\\p{Cntrl}]{1,200}");

    private final OnlineService service;
    private final GalleryService galleries;
    private final CatalogAnswers catalog;
    private final ServingMetrics metrics;
    private final int defaultLimit;
    private final int maxLimit;
    private final EventsEndpoint events;
    private final Javalin app;

    private ServingServer(ReadableConfig config, OnlineService service, GalleryService galleries, CatalogAnswers catalog,
            ServingMetrics metrics) {
        this.service = service;
        this.galleries = galleries;
        this.catalog = catalog;
        this.metrics = metrics;
        this.defaultLimit = config.get(ServingOptions.DEFAULT_LIMIT);
        this.maxLimit = config.get(ServingOptions.MAX_LIMIT);
        this.events = EventsEndpoint.start(config, metrics.events);
        this.app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.useVirtualThreads = false;
            // The console (GET /): plain files from the jar. Javalin looks for a file only when no endpoint matched.
            javalin.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = CONSOLE;
                files.location = Location.CLASSPATH;
            });
        });
        app.get("/v1/members/{member}/rows", ctx -> timed(ctx, "rows", () -> rows(ctx)));
        app.get("/v1/titles/{title}/similar", ctx -> timed(ctx, "similar", () -> similar(ctx)));
        app.get("/v1/members/{member}/because/{title}", ctx -> timed(ctx, "because", () -> because(ctx)));
        app.post("/v1/events", ctx -> timed(ctx, "events", () -> events.handle(ctx)));
        app.get("/v1/members/{member}/gallery", ctx -> timed(ctx, "gallery", () -> gallery(ctx)));
        app.get("/v1/titles", ctx -> timed(ctx, "titles", () -> titles(ctx)));
        app.get("/v1/facets", ctx -> timed(ctx, "facets", () -> ctx.json(catalog.facets())));
        app.get("/v1/trending", ctx -> timed(ctx, "trending", () -> ctx.json(catalog.trending(country(ctx), limit(ctx)))));
        app.get("/health", ctx -> ctx.json(service.health()));
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        app.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty()) {
                ctx.json(Map.of("error", "no such resource: " + ctx.method() + " " + ctx.path()));
            }
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            ctx.status(503).json(Map.of("error", "unavailable: " + e.getClass().getSimpleName()));
        });
    }

    /** Starts the service on the configured host and port (port 0: any free one). */
    public static ServingServer start(ReadableConfig config) throws IOException {
        ServingMetrics metrics = new ServingMetrics();
        CassandraTier cassandra = new CassandraTier(config);
        CacheTier cache = new CacheTier(config);
        Precomputed precomputed = new Precomputed(config, cassandra);
        MemberFactors factors = new MemberFactors(cassandra, config.get(ModelOptions.NAME), config.get(ServingOptions.NEAR_CACHE_TTL),
                config.get(ServingOptions.NEAR_CACHE_ENTRIES));
        OnlineService service = new OnlineService(config, cache, cassandra, precomputed, factors, metrics, Clock.systemUTC());
        ServingServer server = new ServingServer(config, service, new GalleryService(config, cache, factors, precomputed, metrics),
                new CatalogAnswers(precomputed), metrics);
        server.app.start(config.get(ServingOptions.HOST), config.get(ServingOptions.PORT));
        return server;
    }

    public int port() {
        return app.port();
    }

    private interface Handler {
        void handle() throws Exception;
    }

    private void timed(Context ctx, String endpoint, Handler handler) throws Exception {
        long start = System.nanoTime();
        try {
            handler.handle();
        } catch (BadRequest e) {
            ctx.status(400).json(Map.of("error", e.getMessage()));
        } catch (OnlineService.NotFound e) {
            ctx.status(404).json(Map.of("error", e.getMessage()));
        } catch (OnlineService.Unavailable e) {
            ctx.status(503).json(Map.of("error", e.getMessage()));
        }
        metrics.requests.labelValues(endpoint, Integer.toString(ctx.statusCode())).inc();
        metrics.latency.labelValues(endpoint).observe((System.nanoTime() - start) / 1e9);
    }

    private void rows(Context ctx) throws BadRequest {
        String member = id(ctx.pathParam("member"), "member");
        ctx.json(service.rows(member, device(ctx), country(ctx), limit(ctx)));
    }

    private void gallery(Context ctx) throws Exception {
        String member = id(ctx.pathParam("member"), "member");
        String facet = ctx.queryParam("facet");
        if (facet == null || !FACET.matcher(facet).matches()) {
            throw new BadRequest("facet must be <facet>:<value>, such as genre:Horror, not '" + clip(facet == null ? "" : facet) + "'");
        }
        // Checked like the rows' device, though a single gallery has no row order to change.
        device(ctx);
        String country = country(ctx);
        int limit = limit(ctx);
        try {
            ctx.json(galleries.gallery(member, facet, country, limit));
        } catch (GalleryService.UnknownFacet e) {
            throw new BadRequest(e.getMessage());
        }
    }

    private void titles(Context ctx) throws Exception {
        String ids = ctx.queryParam("ids");
        if (ids == null || ids.isBlank()) {
            throw new BadRequest("ids must be title ids separated by commas");
        }
        List<String> titles = new ArrayList<>();
        for (String title : ids.split(",", -1)) {
            titles.add(id(title.trim(), "title"));
        }
        ctx.json(catalog.titles(titles));
    }

    private static String device(Context ctx) throws BadRequest {
        String device = ctx.queryParam("device");
        if (device != null && !DEVICE.matcher(device).matches()) {
            throw new BadRequest("device must be lower-case letters, digits, '-' or '_' (at most 32), not '" + clip(device) + "'");
        }
        return device;
    }

    /** The country, upper case, or null when none is given. */
    private static String country(Context ctx) throws BadRequest {
        String country = ctx.queryParam("country");
        if (country != null && !COUNTRY.matcher(country).matches()) {
            throw new BadRequest("country must be a two-letter country code, not '" + clip(country) + "'");
        }
        return country == null ? null : country.toUpperCase(Locale.ROOT);
    }

    private void similar(Context ctx) throws Exception {
        String title = id(ctx.pathParam("title"), "title");
        String algorithm = ctx.queryParam("algorithm");
        if (algorithm != null && !ID.matcher(algorithm).matches()) {
            throw new BadRequest("algorithm must be an algorithm name, not '" + clip(algorithm) + "'");
        }
        ctx.json(service.similar(title, algorithm, limit(ctx)));
    }

    private void because(Context ctx) throws Exception {
        ctx.json(service.because(id(ctx.pathParam("member"), "member"), id(ctx.pathParam("title"), "title")));
    }

    private int limit(Context ctx) throws BadRequest {
        String value = ctx.queryParam("limit");
        if (value == null) {
            return defaultLimit;
        }
        int limit;
        try {
            limit = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadRequest("limit must be a whole number between 1 and " + maxLimit + ", not '" + clip(value) + "'");
        }
        if (limit < 1 || limit > maxLimit) {
            throw new BadRequest("limit must be between 1 and " + maxLimit + ", not " + limit);
        }
        return limit;
    }

    private static String id(String value, String what) throws BadRequest {
        if (!ID.matcher(value).matches()) {
            throw new BadRequest(what + " id must be 1 to 128 letters, digits or _.:@- starting with a letter or digit, not '"
                    + clip(value) + "'");
        }
        return value;
    }

    private static String clip(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }

    /** A request the service refuses, with its one-line reason. */
    private static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public void close() throws Exception {
        app.stop();
        events.close();
        service.close();
    }
}
