package io.nearline.demo;

import com.datastax.oss.driver.api.core.cql.Row;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.ServicesScript;
import io.nearline.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/nearline demo}, the README's first command, as a newcomer runs it: it uses the services that are
 * running, trains, submits NearlineJob, replays the plays, shows rows moving towards what the showcase
 * members watch, reports freshness, and cleans up what it made while leaving running services alone.
 */
@RealServices({Service.KAFKA, Service.CASSANDRA, Service.MEMCACHED, Service.FLINK})
class DemoITCase {

    private static final Pattern FRESHNESS = Pattern.compile("freshness \\(event time to the first cache read of a row that includes "
            + "the play\\), (\\d+) plays, (\\d+) never seen: p50=(\\d+) ms p99=(\\d+) ms max=(\\d+) ms");

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void demoShowsRowsFollowingWhatMembersWatchThenCleansUp(TestServices services) throws Exception {
        ServicesScript script = ServicesScript.locate();
        Process process = new ProcessBuilder(script.home().resolve("bin/nearline").toString(), "demo")
                .directory(script.home().toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
                System.out.println("[demo] " + line);
            }
        }
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        String output = String.join("\n", lines);
        assertThat(process.exitValue()).as(output).isZero();
        for (int step = 1; step <= 6; step++) {
            assertThat(output).contains("demo [" + step + "/6]");
        }

        // member-0 liked two genres in the past and watches only a third one live: its picks follow.
        String live = lines.stream().filter(l -> l.startsWith("  member-0 watches ")).map(l -> l.replaceAll(".*\\((.*)\\).*", "$1"))
                .distinct().reduce((a, b) -> a + "," + b).orElseThrow();
        assertThat(live).doesNotContain(",");
        String finalRow = lines.stream().filter(l -> l.startsWith("member-0: top picks ")).findFirst().orElseThrow();
        Matcher genres = Pattern.compile("genres of all \\d+: \\{(.*)}").matcher(finalRow);
        assertThat(genres.find()).isTrue();
        String mostPicked = null;
        int most = -1;
        for (String entry : genres.group(1).split(", ")) {
            int count = Integer.parseInt(entry.substring(entry.indexOf('=') + 1));
            if (count > most) {
                most = count;
                mostPicked = entry.substring(0, entry.indexOf('='));
            }
        }
        assertThat(mostPicked).as(finalRow).isEqualTo(live);
        assertThat(output).contains("member-0's rows in Cassandra").containsPattern("top-picks \\[als v1, .*the cache has the same]");

        Matcher freshness = FRESHNESS.matcher(output);
        assertThat(freshness.find()).as("the freshness line").isTrue();
        assertThat(Integer.parseInt(freshness.group(1))).isGreaterThan(1000);
        assertThat(Integer.parseInt(freshness.group(2))).as("plays never seen in the cache").isZero();

        assertThat(output).contains("demo: cleaned up");
        List<String> keyspaces = new ArrayList<>();
        for (Row row : services.cqlSession().execute("SELECT keyspace_name FROM system_schema.keyspaces")) {
            keyspaces.add(row.getString("keyspace_name"));
        }
        assertThat(keyspaces).noneMatch(k -> k.startsWith("demo_"));
        assertThat(script.status(Set.of(Service.KAFKA, Service.CASSANDRA, Service.MEMCACHED, Service.FLINK)).values())
                .as("services it did not start keep running").containsOnly(true);
    }
}
