package io.nearline.cluster;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The REST answers are read as JSON, whatever the order of their fields (bash once depended on it). */
class FlinkRestClientTest {

    private HttpServer server;

    private FlinkRestClient serving(String path, int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return new FlinkRestClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void runningJobsAreTheJobsInStateRunningWhateverTheFieldOrder() throws IOException {
        FlinkRestClient client = serving("/jobs/overview", 200, """
                {"jobs":[{"name":"a","state":"RUNNING","jid":"j1","end-time":-1},
                         {"jid":"j2","state":"FINISHED","name":"b"},
                         {"state":"RUNNING","jid":"j3"}]}""");
        assertThat(client.runningJobs()).containsExactly("j1", "j3");
    }

    @Test
    void anErrorAnswerBecomesAnExceptionWithTheClustersWords() throws IOException {
        FlinkRestClient client = serving("/jobs/overview", 500, "{\"errors\":[\"boom\"]}");
        assertThatThrownBy(client::runningJobs).hasMessageContaining("answered 500").hasMessageContaining("boom");
    }
}
