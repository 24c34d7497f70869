package io.nearline.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The manifests under k8s/ against the operator's CRDs, Kubernetes' types, the operator's admission rules,
 * Flink's options and Nearline's own (see {@link ManifestValidator}): every base resource on its own, and
 * every overlay as kustomize renders it. The second half shows that each check fails when it should.
 */
class ManifestsTest {

    private static final Path K8S = Path.of(System.getProperty("nearline.home", "..")).resolve("k8s").toAbsolutePath().normalize();
    private static final List<String> OVERLAYS = List.of("dev", "prod");
    /** The operator's examples' order of a FlinkDeployment's spec (the project's style for manifests). */
    private static final List<String> SPEC_ORDER = List.of("image", "imagePullPolicy", "flinkVersion", "flinkConfiguration",
            "logConfiguration", "serviceAccount", "mode", "ingress", "jobManager", "taskManager", "podTemplate", "job",
            "restartNonce");

    private static ManifestValidator validator;

    @BeforeAll
    static void loadModels() {
        validator = new ManifestValidator();
    }

    // ---- The manifests ----

    @Test
    void everyYamlFileUnderK8sIsAResourceOrAPatchOfAKustomization() throws IOException {
        Set<Path> used = new TreeSet<>();
        for (Path dir : kustomizationDirs()) {
            Kustomize.Rendered rendered = Kustomize.render(dir);
            used.add(dir.resolve("kustomization.yaml"));
            used.addAll(rendered.resourceFiles());
            used.addAll(rendered.patchFiles());
        }
        assertThat(yamlFiles()).as("YAML files under k8s/ that no kustomization reads, so nothing checks them")
                .isSubsetOf(used);
    }

    @Test
    void baseResourcesMatchTheModels() throws IOException {
        Kustomize.Rendered base = Kustomize.render(K8S.resolve("base"));
        assertThat(base.resources()).extracting(r -> r.path("kind").asText())
                .contains("FlinkDeployment", "CronJob");
        List<String> errors = new ArrayList<>();
        for (ObjectNode resource : base.resources()) {
            errors.addAll(validator.validate(resource));
        }
        assertThat(errors).as("problems in k8s/base").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void renderedOverlaysMatchTheModels(String overlay) throws IOException {
        List<ObjectNode> resources = Kustomize.render(K8S.resolve("overlays").resolve(overlay)).resources();
        assertThat(resources).extracting(r -> r.path("metadata").path("name").asText())
                .containsExactlyInAnyOrder("nearline", "nearline-offline", "nearline-train", "nearline-similars");
        List<String> errors = new ArrayList<>();
        for (ObjectNode resource : resources) {
            errors.addAll(validator.validate(resource));
        }
        assertThat(errors).as("problems in k8s/overlays/" + overlay + " as rendered").isEmpty();
    }

    @Test
    void theDevOverlaySetsTheJobsOptionsByMergingFlinkConfiguration() throws IOException {
        ObjectNode job = Kustomize.render(K8S.resolve("overlays").resolve("dev")).resources().stream()
                .filter(r -> "FlinkDeployment".equals(r.path("kind").asText()) && "nearline".equals(r.path("metadata").path("name").asText()))
                .findFirst().orElseThrow();
        JsonNode config = job.path("spec").path("flinkConfiguration");
        assertThat(config.path("nearline.s3.endpoint").asText()).isEqualTo("http://minio:9000");
        assertThat(config.path("nearline.job.checkpoint-interval").asText()).isEqualTo("10 s");
        assertThat(config.path("nearline.kafka.bootstrap-servers").asText()).as("kept from the base").isEqualTo("kafka:9092");
        assertThat(job.path("spec").path("job").path("args")).as("no options appended to args").isEmpty();
    }

    @Test
    void overlaysRenderAsKubectlKustomizeRendersThem() throws Exception {
        String kubectl = onPath("kubectl");
        assumeTrue(kubectl != null, "kubectl is not installed: the renderer is not compared with kustomize");
        for (String overlay : OVERLAYS) {
            Path dir = K8S.resolve("overlays").resolve(overlay);
            Process process = new ProcessBuilder(kubectl, "kustomize", dir.toString()).redirectErrorStream(false).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String error = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("kubectl kustomize " + dir + ": " + error).isZero();
            assertThat(byId(Kustomize.render(dir).resources())).as("k8s/overlays/" + overlay)
                    .isEqualTo(byId(Yaml.readAll(output)));
        }
    }

    @Test
    void flinkDeploymentsKeepTheOperatorsKeyOrder() throws IOException {
        for (Path file : yamlFiles()) {
            for (JsonNode doc : Yaml.readAll(file)) {
                if (doc.isObject() && "FlinkDeployment".equals(doc.path("kind").asText())) {
                    assertThat(fieldNames(doc)).as(file + ": top-level keys")
                            .isSubsetOf("apiVersion", "kind", "metadata", "spec")
                            .isSortedAccordingTo((a, b) -> order(List.of("apiVersion", "kind", "metadata", "spec"), a, b));
                    assertThat(fieldNames(doc.path("spec"))).as(file + ": spec keys")
                            .isSubsetOf(SPEC_ORDER).isSortedAccordingTo((a, b) -> order(SPEC_ORDER, a, b));
                }
            }
        }
    }

    @Test
    void manifestsRunTheJarTheDockerfileInstalls() throws IOException {
        Matcher copy = Pattern.compile("(?m)^COPY .* (/opt/flink/usrlib/\\S+\\.jar)$").matcher(Files.readString(K8S.resolve("Dockerfile")));
        assertThat(copy.find()).as("k8s/Dockerfile copies the job jar into /opt/flink/usrlib").isTrue();
        String jar = copy.group(1);
        List<String> named = new ArrayList<>();
        for (Path file : yamlFiles()) {
            for (JsonNode doc : Yaml.readAll(file)) {
                collectJars(doc, named);
            }
        }
        assertThat(named).isNotEmpty().allSatisfy(path -> assertThat(path).isEqualTo(jar));
    }

    // ---- Each check fails when it should ----

    /** A minimal deployment that passes every check; the tests below break one thing each. */
    private static final String VALID = """
            apiVersion: flink.apache.org/v1beta1
            kind: FlinkDeployment
            metadata:
              name: nearline
            spec:
              image: nearline:0.1.0
              flinkVersion: v2_2
              flinkConfiguration:
                state.backend.type: rocksdb
                execution.checkpointing.dir: s3://nearline/checkpoints
                execution.checkpointing.savepoint-dir: s3://nearline/savepoints
              serviceAccount: flink
              jobManager:
                resource:
                  memory: "1024m"
                  cpu: 1
              taskManager:
                resource:
                  memory: "2048m"
                  cpu: 1
              podTemplate:
                spec:
                  containers:
                    - name: flink-main-container
                      env:
                        - name: AWS_SECRET_ACCESS_KEY
                          valueFrom:
                            secretKeyRef:
                              name: nearline-s3
                              key: secret-key
              job:
                jarURI: local:///opt/flink/usrlib/nearline-topology-job.jar
                entryClass: io.nearline.topology.NearlineJob
                args: ["--nearline.kafka.bootstrap-servers", "kafka:9092"]
                parallelism: 2
                upgradeMode: savepoint
            """;

    private static final String CRON_JOB = """
            apiVersion: batch/v1
            kind: CronJob
            metadata:
              name: nearline-train
            spec:
              schedule: "0 3 * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                        - name: train
                          image: nearline:0.1.0
                          command: [java]
                          args: [-cp, /opt/flink/usrlib/nearline-topology-job.jar, io.nearline.topology.cli.NearlineCli,
                                 train, --archive, s3://nearline/archive, -D, nearline.train.rank=64]
            """;

    @Test
    void acceptsTheValidExamples() throws IOException {
        assertThat(problems(VALID)).isEmpty();
        assertThat(problems(CRON_JOB)).isEmpty();
    }

    @Test
    void rejectsMisspelledFields() throws IOException {
        assertThat(problems(VALID.replace("upgradeMode:", "upgadeMode:")))
                .anySatisfy(p -> assertThat(p).contains(".spec.job.upgadeMode: unknown field"));
        assertThat(problems(VALID.replace("  taskManager:", "  taskManger:")))
                .anySatisfy(p -> assertThat(p).contains(".spec.taskManger: unknown field"));
        // Inside a pod template: both the CRD's schema and Kubernetes' V1Container refuse it.
        assertThat(problems(VALID.replace("valueFrom:", "valueFom:")))
                .anySatisfy(p -> assertThat(p).contains("valueFom: unknown field"))
                .anySatisfy(p -> assertThat(p).contains("`valueFom`").contains("V1Pod"));
        assertThat(problems(CRON_JOB.replace("restartPolicy:", "restartPolcy:")))
                .anySatisfy(p -> assertThat(p).contains("`restartPolcy`").contains("V1CronJob"));
    }

    @Test
    void rejectsMissingRequiredFields() throws IOException {
        assertThat(problems(VALID.replace("  serviceAccount: flink\n", "")))
                .anySatisfy(p -> assertThat(p).contains(".spec.serviceAccount: required"));
        assertThat(problems(VALID.replace("  flinkVersion: v2_2\n", "")))
                .anySatisfy(p -> assertThat(p).contains(".spec.flinkVersion: required"));
        assertThat(problems(VALID.replace("      memory: \"2048m\"\n", "")))
                .anySatisfy(p -> assertThat(p).contains(".spec.taskManager.resource.memory: required"));
        assertThat(problems(VALID.replace("    upgradeMode: savepoint\n", "")))
                .anySatisfy(p -> assertThat(p).contains(".spec.job.upgradeMode: required"));
        // Kubernetes' own required fields: a secret reference's key, a container's name, a cron job's schedule.
        assertThat(problems(VALID.replace("key: secret-key", "optional: false")))
                .anySatisfy(p -> assertThat(p).contains("required field `key`"));
        assertThat(problems(VALID.replaceFirst("- name: flink-main-container\\n\\s+env:", "- env:")))
                .anySatisfy(p -> assertThat(p).contains("required field `name`"));
        assertThat(problems(CRON_JOB.replace("  schedule: \"0 3 * * *\"\n", "")))
                .anySatisfy(p -> assertThat(p).contains("required field `schedule`"));
    }

    @Test
    void rejectsWrongTypesAndValues() throws IOException {
        assertThat(problems(VALID.replace("parallelism: 2", "parallelism: two")))
                .anySatisfy(p -> assertThat(p).contains(".spec.job.parallelism: expected an integer"));
        assertThat(problems(VALID.replace("flinkVersion: v2_2", "flinkVersion: v2_9")))
                .anySatisfy(p -> assertThat(p).contains("'v2_9' is not one of"));
        assertThat(problems(VALID.replace("name: nearline\n", "name: Nearline_Job\n")))
                .anySatisfy(p -> assertThat(p).contains(".metadata.name: the operator needs lower case"));
        // flinkConfiguration values are strings in the operator's schema.
        assertThat(problems(VALID.replace("state.backend.type: rocksdb", "taskmanager.numberOfTaskSlots: 2")))
                .anySatisfy(p -> assertThat(p).contains("taskmanager.numberOfTaskSlots: expected a string"));
    }

    @Test
    void rejectsUpgradeModesWithoutTheirStorageAndStandbysWithoutHa() throws IOException {
        assertThat(problems(VALID.replace("    execution.checkpointing.savepoint-dir: s3://nearline/savepoints\n", "")))
                .anySatisfy(p -> assertThat(p).contains("upgradeMode savepoint needs execution.checkpointing.savepoint-dir"));
        assertThat(problems(VALID.replace("upgradeMode: savepoint", "upgradeMode: last-state")))
                .anySatisfy(p -> assertThat(p).contains("last-state needs high-availability.type"));
        assertThat(problems(VALID.replace("  jobManager:\n", "  jobManager:\n    replicas: 2\n")))
                .anySatisfy(p -> assertThat(p).contains("standby JobManagers need high-availability.type"));
    }

    @Test
    void rejectsUnknownOrDeprecatedOptions() throws IOException {
        assertThat(problems(VALID.replace("--nearline.kafka.bootstrap-servers", "--nearline.kafka.bootstrap-server")))
                .anySatisfy(p -> assertThat(p).contains("NearlineJob refuses its flinkConfiguration and args: unknown option --nearline.kafka.bootstrap-server"));
        assertThat(problems(VALID.replace("state.backend.type: rocksdb", "state.backend.type: rocksdb\n    nearline.members.row-length: \"0\"")))
                .anySatisfy(p -> assertThat(p).contains("NearlineJob refuses its flinkConfiguration and args: nearline.members.row-length must be at least 1, not 0"));
        assertThat(problems(VALID.replace("execution.checkpointing.dir:", "state.checkpoints.dir:")))
                .anySatisfy(p -> assertThat(p).contains("state.checkpoints.dir: deprecated in Flink; use execution.checkpointing.dir"));
        assertThat(problems(VALID.replace("state.backend.type: rocksdb", "state.backend.tpye: rocksdb")))
                .anySatisfy(p -> assertThat(p).contains("state.backend.tpye: not an option of Flink"));
        assertThat(problems(VALID.replace("state.backend.type: rocksdb", "execution.checkpointing.interval: often")))
                .anySatisfy(p -> assertThat(p).contains("'often' does not parse"));
        assertThat(problems(CRON_JOB.replace("nearline.train.rank=64", "nearline.train.rnak=64")))
                .anySatisfy(p -> assertThat(p).contains("unknown option --nearline.train.rnak"));
        assertThat(problems(CRON_JOB.replace("train, --archive", "train, --parallelism, \"2\", --parallelism, \"4\", --archive")))
                .anySatisfy(p -> assertThat(p).contains("nearline train: option '--parallelism'").contains("only once"));
        assertThat(problems(CRON_JOB.replace("--archive, s3://nearline/archive,", "")))
                .anySatisfy(p -> assertThat(p).contains("nearline train: Error: Missing required argument"));
    }

    @Test
    void rejectsCredentialsInPlainText() throws IOException {
        assertThat(problems(VALID.replaceFirst("(?s)valueFrom:.*?key: secret-key", "value: wJalrXUtnFEMI")))
                .anySatisfy(p -> assertThat(p).contains("AWS_SECRET_ACCESS_KEY holds a credential"));
        assertThat(problems(VALID.replace("args: [", "args: [\"--nearline.s3.secret-key\", \"wJalrXUtnFEMI\", ")))
                .anySatisfy(p -> assertThat(p).contains("'--nearline.s3.secret-key' would put a credential in plain text"));
        assertThat(problems(VALID.replace("state.backend.type: rocksdb", "s3.secret-key: wJalrXUtnFEMI")))
                .anySatisfy(p -> assertThat(p).contains("s3.secret-key: a credential in plain text"));
    }

    @Test
    void rendererRefusesWhatItWouldRenderDifferentlyFromKustomize(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("base.yaml"), VALID);
        Files.writeString(dir.resolve("kustomization.yaml"), """
                resources: [base.yaml]
                patches:
                  - patch: |
                      apiVersion: flink.apache.org/v1beta1
                      kind: FlinkDeployment
                      metadata: {name: nearline}
                      spec:
                        job:
                          args: ["--nearline.cache.servers", "memcached:11211"]
                """);
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("merge patch meets the list /spec/job/args");
        Files.writeString(dir.resolve("kustomization.yaml"), """
                resources: [base.yaml]
                patches:
                  - target: {kind: FlinkDeployment}
                    patch: |
                      - {op: test, path: /spec/job/args/0, value: --nearline.cache.servers}
                """);
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("test of /spec/job/args/0 failed");
        Files.writeString(dir.resolve("kustomization.yaml"), """
                resources: [base.yaml]
                images: [{name: nearline, newTag: "0.2.0"}]
                """);
        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("field 'images' is not rendered by this test");
    }

    // ---- Helpers ----

    private static List<String> problems(String yaml) throws IOException {
        List<JsonNode> docs = Yaml.readAll(yaml);
        assertThat(docs).hasSize(1);
        return validator.validate(docs.get(0));
    }

    private static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> files = Files.walk(K8S)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    private static List<Path> kustomizationDirs() throws IOException {
        try (Stream<Path> dirs = Files.walk(K8S)) {
            return dirs.filter(Files::isDirectory).filter(Kustomize::isKustomizationDir).sorted().toList();
        }
    }

    private static Map<String, JsonNode> byId(List<? extends JsonNode> resources) {
        Map<String, JsonNode> map = new TreeMap<>();
        for (JsonNode resource : resources) {
            String id = resource.path("kind").asText() + "/" + resource.path("metadata").path("namespace").asText()
                    + "/" + resource.path("metadata").path("name").asText();
            assertThat(map.put(id, resource)).as("two resources " + id).isNull();
        }
        return map;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static int order(List<String> order, String a, String b) {
        return Integer.compare(order.indexOf(a), order.indexOf(b));
    }

    /** Jars named as jarURI, --jar or on a -cp. */
    private static void collectJars(JsonNode node, List<String> jars) {
        if (node.isObject()) {
            if (node.path("jarURI").isTextual()) {
                jars.add(node.get("jarURI").asText().replaceFirst("^local://", ""));
            }
            for (String list : List.of("command", "args")) {
                JsonNode args = node.path(list);
                for (int i = 0; i + 1 < args.size(); i++) {
                    String arg = args.get(i).asText();
                    if (arg.equals("--jar")) {
                        jars.add(args.get(i + 1).asText());
                    } else if (arg.equals("-cp") || arg.equals("-classpath")) {
                        for (String entry : args.get(i + 1).asText().split(File.pathSeparator)) {
                            if (entry.endsWith(".jar")) {
                                jars.add(entry);
                            }
                        }
                    }
                }
            }
            for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
                collectJars(children.next(), jars);
            }
        } else if (node.isArray()) {
            node.forEach(child -> collectJars(child, jars));
        }
    }

    private static String onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
