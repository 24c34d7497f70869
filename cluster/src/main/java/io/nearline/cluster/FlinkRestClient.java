package io.nearline.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The parts of Flink's REST API that submitting and watching a job needs. */
public final class FlinkRestClient {

    private static final Set<String> TERMINAL_STATES = Set.of("FINISHED", "FAILED", "CANCELED");

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    public FlinkRestClient(URI base) {
        this.base = base;
    }

    /** Uploads a job jar ({@code POST /jars/upload}) and returns its id on the cluster. */
    public String uploadJar(Path jar) throws IOException {
        String boundary = "nearline-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"jarfile\"; filename=\"" + jar.getFileName() + "\"\r\n"
                + "Content-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer = send(HttpRequest.newBuilder(base.resolve("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String filename = answer.path("filename").asText();
        if (filename.isEmpty()) {
            throw new IOException("jar upload answered without a filename: " + answer);
        }
        return Path.of(filename).getFileName().toString();
    }

    /** Runs an uploaded jar ({@code POST /jars/:id/run}) and returns the job id. */
    public String runJar(String jarId, String entryClass, List<String> args, int parallelism) throws IOException {
        return runJar(jarId, entryClass, args, parallelism, null);
    }

    /** Runs an uploaded jar, restoring from a savepoint or retained checkpoint when {@code restoreFrom} is given. */
    public String runJar(String jarId, String entryClass, List<String> args, int parallelism, String restoreFrom)
            throws IOException {
        return runJar(jarId, entryClass, args, parallelism, restoreFrom, false);
    }

    /**
     * Runs an uploaded jar; with {@code allowNonRestoredState} a restore drops the state of operators the job no
     * longer has. A job whose {@code main()} fails is refused with the cluster's answer in the exception.
     */
    public String runJar(String jarId, String entryClass, List<String> args, int parallelism, String restoreFrom,
            boolean allowNonRestoredState) throws IOException {
        ObjectNode request = json.createObjectNode();
        if (restoreFrom != null) {
            request.put("savepointPath", restoreFrom);
            request.put("allowNonRestoredState", allowNonRestoredState);
        }
        request.put("entryClass", entryClass);
        request.put("parallelism", parallelism);
        request.putArray("programArgsList").addAll(args.stream().map(json.getNodeFactory()::textNode).toList());
        JsonNode answer = send(HttpRequest.newBuilder(base.resolve("/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString())));
        return answer.path("jobid").asText();
    }

    public void deleteJar(String jarId) throws IOException {
        send(HttpRequest.newBuilder(base.resolve("/jars/" + jarId)).DELETE());
    }

    /** Cancels a job ({@code PATCH /jobs/:id?mode=cancel}). */
    public void cancel(String jobId) throws IOException {
        send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    /** After a test: cancels its jobs (those already gone are skipped) and deletes its uploaded jar, if any. */
    public void cleanUp(Iterable<String> jobIds, String jarId) throws IOException {
        for (String job : jobIds) {
            try {
                cancel(job);
            } catch (IOException | RuntimeException alreadyGone) {
                // finished or cancelled before
            }
        }
        if (jarId != null) {
            deleteJar(jarId);
        }
    }

    /**
     * Stops a job with a savepoint in Flink's canonical format ({@code POST /jobs/:id/stop}), waits for it and
     * returns the savepoint's path. {@code targetDirectory} may be null: the cluster's savepoint directory.
     */
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout) throws IOException, InterruptedException {
        ObjectNode request = json.createObjectNode();
        if (targetDirectory != null) { // else the cluster's execution.checkpointing.savepoint-dir
            request.put("targetDirectory", targetDirectory);
        }
        request.put("drain", false);
        request.put("formatType", "CANONICAL");
        String trigger = send(HttpRequest.newBuilder(base.resolve("/jobs/" + jobId + "/stop"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toString()))).path("request-id").asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status = get("/jobs/" + jobId + "/savepoints/" + trigger);
            if ("COMPLETED".equals(status.path("status").path("id").asText())) {
                JsonNode operation = status.path("operation");
                if (operation.has("failure-cause")) {
                    throw new IOException("stop-with-savepoint of " + jobId + " failed: "
                            + operation.path("failure-cause").path("stack-trace").asText(operation.toString()));
                }
                return operation.path("location").asText();
            }
            Thread.sleep(200);
        }
        throw new IOException("stop-with-savepoint of " + jobId + " did not complete within " + timeout);
    }

    /** A job-level metric such as {@code numRestarts}, or -1 while it is not reported. */
    public long jobMetric(String jobId, String name) throws IOException {
        for (JsonNode metric : get("/jobs/" + jobId + "/metrics?get=" + name)) {
            if (name.equals(metric.path("id").asText())) {
                return metric.path("value").asLong(-1);
            }
        }
        return -1;
    }

    /** Whether the job runs and every one of its tasks is running (after a failover: recovered). */
    public boolean allTasksRunning(String jobId) throws IOException {
        JsonNode job = get("/jobs/" + jobId);
        if (!"RUNNING".equals(job.path("state").asText())) {
            return false;
        }
        for (JsonNode vertex : job.path("vertices")) {
            if (!"RUNNING".equals(vertex.path("status").asText())) {
                return false;
            }
        }
        return true;
    }

    /** The ids of the cluster's jobs in state RUNNING ({@code GET /jobs/overview}). */
    public List<String> runningJobs() throws IOException {
        List<String> running = new java.util.ArrayList<>();
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            if ("RUNNING".equals(job.path("state").asText())) {
                running.add(job.path("jid").asText());
            }
        }
        return running;
    }

    /** Waits until the job runs with every task running; false if it has not within the timeout. */
    public boolean awaitAllTasksRunning(String jobId, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allTasksRunning(jobId)) {
            if (System.nanoTime() > deadline || TERMINAL_STATES.contains(jobState(jobId))) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    /** The job's state, such as RUNNING or FINISHED. */
    public String jobState(String jobId) throws IOException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** Waits until the job reaches FINISHED, FAILED or CANCELED and returns that state. */
    public String awaitTerminalState(String jobId, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = jobState(jobId);
        while (!TERMINAL_STATES.contains(state)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("job " + jobId + " still " + state + " after " + timeout);
            }
            Thread.sleep(200);
            state = jobState(jobId);
        }
        return state;
    }

    /** The job's user accumulators by name, as the REST API renders them (strings). */
    public Map<String, String> userAccumulators(String jobId) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode accumulator : get("/jobs/" + jobId + "/accumulators").path("user-task-accumulators")) {
            values.put(accumulator.path("name").asText(), accumulator.path("value").asText());
        }
        return values;
    }

    /** The path of the job's latest completed checkpoint, or null if there is none yet. */
    public String latestCheckpointPath(String jobId) throws IOException {
        JsonNode completed = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
        return completed.isMissingNode() || completed.isNull() ? null : completed.path("external_path").asText(null);
    }

    /** The id of the job's latest completed checkpoint, or -1. */
    public long latestCheckpointId(String jobId) throws IOException {
        JsonNode completed = get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
        return completed.isMissingNode() || completed.isNull() ? -1 : completed.path("id").asLong(-1);
    }

    /**
     * The sum over all subtasks of every operator metric whose name ends with {@code suffix} (such as
     * {@code models.rejected}), or 0 if none is reported yet.
     */
    public double metricSum(String jobId, String suffix) throws IOException {
        double sum = 0;
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            for (JsonNode metric : get(path)) {
                String id = metric.path("id").asText();
                if (id.endsWith(suffix)) {
                    String query = path + "?get=" + java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
                            + "&agg=sum";
                    for (JsonNode value : get(query)) {
                        sum += value.path("sum").asDouble(0);
                    }
                }
            }
        }
        return sum;
    }

    /** The root cause the cluster recorded for a failed job, or an empty string. */
    public String rootException(String jobId) throws IOException {
        return get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries").path(0)
                .path("stacktrace").asText("");
    }

    public JsonNode get(String path) throws IOException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException {
        HttpRequest built = request.timeout(Duration.ofSeconds(60)).build();
        try {
            HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IOException(built.method() + " " + built.uri() + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            return response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during " + built.method() + " " + built.uri(), e);
        }
    }
}
