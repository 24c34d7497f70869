package io.nearline.smoke;

import io.nearline.smoke.job.SumOfSquaresJob;
import io.nearline.cluster.FlinkRestClient;
import io.nearline.testing.JobJars;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@RealServices(Service.FLINK)
class FlinkSessionClusterSmokeITCase {

    @Test
    void jarUploadedOverRestRunsToCompletionWithTheRightResult(TestServices services, @TempDir Path tmp)
            throws Exception {
        FlinkRestClient flink = services.flink();
        Path jar = JobJars.ofPackage(SumOfSquaresJob.class, tmp.resolve("sum-of-squares.jar"));
        String jarId = flink.uploadJar(jar);
        try {
            long n = 100_000;
            String jobId = flink.runJar(jarId, SumOfSquaresJob.class.getName(), List.of(Long.toString(n)), 2);

            String state = flink.awaitTerminalState(jobId, Duration.ofMinutes(3));
            assertThat(state).as("job state; root cause: %s", flink.rootException(jobId)).isEqualTo("FINISHED");
            long expected = n * (n + 1) * (2 * n + 1) / 6;
            assertThat(flink.userAccumulators(jobId)).containsEntry(SumOfSquaresJob.ACCUMULATOR, Long.toString(expected));
            assertThat(flink.get("/jobs/" + jobId).path("vertices").path(0).path("parallelism").asInt())
                    .isEqualTo(2);
        } finally {
            flink.deleteJar(jarId);
        }
    }
}
