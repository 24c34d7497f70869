package io.nearline.serving;

import io.nearline.operators.cache.CacheOptions;
import io.nearline.operators.cassandra.CassandraOptions;
import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.operators.serving.ServingOptions;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's files come from the jar, with their content types, beside the API. */
class ConsolePageTest {

    private static ServingServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Configuration config = new Configuration();
        config.set(ServingOptions.PORT, 0);
        // No store is needed to serve the page: nothing listens on port 1.
        config.set(CacheOptions.SERVERS, List.of("127.0.0.1:1"));
        config.set(CassandraOptions.CONTACT_POINTS, List.of("127.0.0.1:1"));
        config.set(KafkaOptions.BOOTSTRAP_SERVERS, "127.0.0.1:1");
        server = ServingServer.start(config);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void rootServesTheConsolePageAsHtml() throws Exception {
        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).contains("<title>Nearline console</title>").contains("id=\"member-input\"")
                .contains("id=\"rows\"");
    }

    @Test
    void everyScriptAndStyleThePageNamesIsServedFromTheJar() throws Exception {
        Matcher references = Pattern.compile("(?:src|href)=\"(/[^\"]+\\.(?:js|css))\"").matcher(get("/").body());
        int found = 0;
        while (references.find()) {
            found++;
            HttpResponse<String> file = get(references.group(1));
            assertThat(file.statusCode()).as(references.group(1)).isEqualTo(200);
            assertThat(file.body()).as(references.group(1)).isNotBlank();
        }
        assertThat(found).as("scripts and style sheets the page names").isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({"/console.js, text/javascript", "/console.css, text/css"})
    void scriptAndStyleHaveTheirContentTypes(String path, String type) throws Exception {
        HttpResponse<String> response = get(path);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith(type));
    }

    @Test
    void theApiStillAnswersBesideThePageAndUnknownPathsStillGetA404() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/v1/members/%20bad/rows").statusCode()).isEqualTo(400);
        assertThat(get("/no-such-file.js").statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
