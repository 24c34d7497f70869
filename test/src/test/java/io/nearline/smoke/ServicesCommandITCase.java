package io.nearline.smoke;

import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.ServicesScript;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The behaviour of {@code bin/nearline services} that users rely on: status lines, stopping one, bringing it back. */
@RealServices
class ServicesCommandITCase {

    @Test
    void statusPrintsOneUpLinePerService(ServicesScript script) {
        List<String> lines = script.run("status", List.of()).requireSuccess().lines();

        assertThat(lines).hasSize(5);
        assertThat(lines).allMatch(line -> line.matches("(kafka|cassandra|memcached|s3|flink) \\S+:\\d+ up"));
        assertThat(lines).extracting(line -> line.split(" ")[0])
                .containsExactlyInAnyOrder("kafka", "cassandra", "memcached", "s3", "flink");
    }

    @Test
    void stoppedServiceShowsDownAndUpRestartsOnlyIt(ServicesScript script) throws IOException {
        Path workDir = Path.of(script.settings().get("NEARLINE_WORK_DIR"));
        Set<Service> others = EnumSet.complementOf(EnumSet.of(Service.MEMCACHED));
        Map<Path, String> otherPids = new HashMap<>();
        for (Service service : others) {
            try (var files = Files.list(workDir.resolve(service.scriptName()))) {
                for (Path pidFile : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                    otherPids.put(pidFile, Files.readString(pidFile).trim());
                }
            }
        }
        String memcachedPid = Files.readString(workDir.resolve("memcached/memcached.pid")).trim();

        script.down(List.of(Service.MEMCACHED)).requireSuccess();

        assertThat(Path.of("/proc", memcachedPid)).as("the stopped memcached process").doesNotExist();
        Map<Service, Boolean> status = script.status(EnumSet.allOf(Service.class));
        assertThat(status).containsEntry(Service.MEMCACHED, false);
        others.forEach(service -> assertThat(status).containsEntry(service, true));

        List<String> upOutput = script.up(EnumSet.allOf(Service.class)).requireSuccess().lines();

        assertThat(upOutput).anyMatch(line -> line.matches("memcached \\S+ up"));
        for (Service service : others) {
            assertThat(upOutput).anyMatch(line -> line.startsWith(service.scriptName() + " ")
                    && line.endsWith("up (already running)"));
        }
        assertThat(script.status(EnumSet.allOf(Service.class))).doesNotContainValue(false);
        for (Map.Entry<Path, String> pid : otherPids.entrySet()) {
            assertThat(Files.readString(pid.getKey()).trim()).as("pid in %s", pid.getKey()).isEqualTo(pid.getValue());
        }
    }

    @Test
    void aServiceAnsweringFromAnotherFolderIsRefusedWithWhereItCameFrom(ServicesScript script, @org.junit.jupiter.api.io.TempDir Path other) {
        // The same ports, another work folder: as a second checkout beside one whose services are up.
        ServicesScript elsewhere = script.withEnvironment(Map.of("NEARLINE_WORK_DIR", other.toString()));

        ServicesScript.Result result = elsewhere.up(List.of(Service.MEMCACHED));

        assertThat(result.exitCode()).isNotZero();
        assertThat(String.join("\n", result.lines()))
                .contains("memcached: failed to start:", "not from a process started in " + other);
    }
}
