package io.nearline.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.nearline.operators.config.NearlineOptions;
import io.nearline.topology.cli.NearlineCli;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.FallbackKey;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * Checks one Kubernetes resource against real models of what the cluster and the jobs accept, and returns every
 * problem found (an empty list when there is none):
 * <ul>
 *   <li>{@code FlinkDeployment}, {@code FlinkSessionJob} and {@code FlinkStateSnapshot}: the OpenAPI schema of
 *       the Flink Kubernetes Operator's CRDs, as shipped in {@code flink-kubernetes-operator-api} (unknown
 *       fields, types, enums, required lists), the way the API server checks them with strict field validation.
 *       The newest release of that artifact served here is 1.10; releases 1.11 to 1.13 added {@code v2_0},
 *       {@code v2_1} and {@code v2_2} to {@code flinkVersion} (added below) and relaxed
 *       {@code flinkConfiguration} from a map of strings to any YAML (the stricter form is kept); for the
 *       fields used here nothing else differs.</li>
 *   <li>Pod templates inside them, and Kubernetes' own kinds ({@code CronJob}, ...): Kubernetes' types from
 *       {@code client-java-api}, whose {@code validateJsonElement} refuses unknown fields and missing required
 *       ones (a container's or env var's name, a secret reference's key, a cron job's schedule).</li>
 *   <li>The operator's admission rules that need more than the schema (its {@code DefaultValidator}): name,
 *       flinkVersion, serviceAccount, memory, checkpoint and savepoint directories for the upgrade mode, HA for
 *       standby JobManagers, forbidden and log configuration keys.</li>
 *   <li>Flink configuration keys against Flink's own {@code ConfigOption}s (unknown, deprecated, unparsable
 *       values); keys of plugins and of the operator, which are not on this classpath, only by prefix.</li>
 *   <li>Nearline: NearlineJob's {@code nearline.*} keys of flinkConfiguration and its args parse as its options
 *       ({@link NearlineOptions#fromClusterAndArgs}); a container that
 *       runs {@link NearlineCli} passes its command line; no credential appears in plain text.</li>
 * </ul>
 */
final class ManifestValidator {

    static final String OPERATOR_API_VERSION = "flink.apache.org/v1beta1";
    static final String NEARLINE_JOB = "io.nearline.topology.NearlineJob";
    static final String NEARLINE_CLI = "io.nearline.topology.cli.NearlineCli";

    private static final List<String> NEWER_FLINK_VERSIONS = List.of("v2_0", "v2_1", "v2_2");
    /** DefaultValidator: what the operator derives from the resource's name. */
    private static final Pattern DEPLOYMENT_NAME = Pattern.compile("[a-z]([-a-z\\d]{0,43}[a-z\\d])?");
    private static final Set<String> FORBIDDEN_FLINK_KEYS = Set.of("kubernetes.namespace", "kubernetes.cluster-id",
            "high-availability.cluster-id");
    private static final Set<String> LOG_CONFIGURATION_KEYS = Set.of("log4j-console.properties", "logback-console.xml");
    /** Flink keys that are defined outside flink-core (the operator, flink-kubernetes, plugins, the RocksDB backend). */
    private static final List<String> UNCHECKED_FLINK_PREFIXES = List.of("kubernetes.", "high-availability.kubernetes.",
            "s3.", "fs.s3a.", "state.backend.rocksdb.");
    private static final Pattern REPORTER_KEY = Pattern.compile("metrics\\.reporter\\.[a-zA-Z0-9_-]+\\.[a-zA-Z0-9._-]+");
    /** Env vars that hold a credential by their name; they must come from a secret. */
    private static final Pattern SECRET_ENV = Pattern.compile("(?i).*(password|secret|token|access_key|credential).*");
    /** Options that carry a credential; never in args or flinkConfiguration, where they would be plain text. */
    private static final List<String> SECRET_OPTIONS = List.of("nearline.s3.access-key", "nearline.s3.secret-key",
            "nearline.cassandra.password", "nearline.cassandra.ssl.truststore-password", "sasl.jaas.config",
            "s3.access-key", "s3.secret-key", "s3.access.key", "s3.secret.key", "fs.s3a.access.key", "fs.s3a.secret.key");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, JsonNode> crdSchemas = new HashMap<>();
    private final Map<String, ConfigOption<?>> flinkOptions = new HashMap<>();
    private final Map<String, String> deprecatedFlinkKeys = new HashMap<>();
    private String flinkCore;

    ManifestValidator() {
        JsonNode deployment = crdSchema("META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml");
        ArrayNode versions = (ArrayNode) deployment.path("properties").path("spec").path("properties").path("flinkVersion").path("enum");
        NEWER_FLINK_VERSIONS.forEach(versions::add);
        crdSchemas.put("FlinkDeployment", deployment);
        crdSchemas.put("FlinkSessionJob", crdSchema("META-INF/fabric8/flinksessionjobs.flink.apache.org-v1.yml"));
        crdSchemas.put("FlinkStateSnapshot", crdSchema("META-INF/fabric8/flinkstatesnapshots.flink.apache.org-v1.yml"));
        indexFlinkOptions();
    }

    /** Every problem of one resource, each prefixed with the resource's kind and name and the field's path. */
    List<String> validate(JsonNode resource) {
        List<String> errors = new ArrayList<>();
        String id = resource.path("kind").asText("?") + " " + resource.path("metadata").path("name").asText("?");
        Problems problems = (path, message) -> errors.add(id + ": " + (path.isEmpty() ? "" : path + ": ") + message);
        if (!resource.path("apiVersion").isTextual() || !resource.path("kind").isTextual()) {
            problems.add("", "apiVersion and kind are required");
            return errors;
        }
        if (!resource.path("metadata").path("name").isTextual()) {
            problems.add(".metadata.name", "required");
        }
        String apiVersion = resource.get("apiVersion").asText();
        String kind = resource.get("kind").asText();
        if (apiVersion.startsWith("flink.apache.org/")) {
            JsonNode schema = crdSchemas.get(kind);
            if (!apiVersion.equals(OPERATOR_API_VERSION) || schema == null) {
                problems.add("", "the operator serves " + crdSchemas.keySet() + " as " + OPERATOR_API_VERSION
                        + ", not " + kind + " as " + apiVersion);
                return errors;
            }
            // The CRD's schema covers the rest; the API server checks these three itself.
            ObjectNode rest = resource.deepCopy();
            rest.remove(List.of("apiVersion", "kind", "metadata"));
            checkSchema(rest, schema, "", problems);
            if (resource.has("metadata")) {
                checkKubernetesType(resource.get("metadata"), "V1ObjectMeta", ".metadata", problems);
            }
            checkPodTemplates(resource.path("spec"), problems);
            if (kind.equals("FlinkDeployment")) {
                checkOperatorRules(resource, problems);
            }
            checkFlinkConfiguration(resource.path("spec").path("flinkConfiguration"), problems);
            checkNearlineJob(resource.path("spec"), problems);
        } else {
            checkKubernetesType(resource, modelClass(apiVersion, kind), "", problems);
        }
        checkNearlineCli(resource, "", problems);
        checkNoPlainTextSecrets(resource, "", problems);
        return errors;
    }

    @FunctionalInterface
    private interface Problems {
        void add(String path, String message);
    }

    // ---- The operator's CRD schema ----

    private static JsonNode crdSchema(String resource) {
        try (InputStream in = ManifestValidator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the classpath (flink-kubernetes-operator-api)");
            }
            JsonNode crd = Yaml.MAPPER.readTree(in);
            for (JsonNode version : crd.path("spec").path("versions")) {
                if (OPERATOR_API_VERSION.endsWith("/" + version.path("name").asText())) {
                    return version.path("schema").path("openAPIV3Schema");
                }
            }
            throw new IllegalStateException(resource + " has no version " + OPERATOR_API_VERSION);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A structural OpenAPI v3 schema as the API server applies it: no field outside the schema. */
    private static void checkSchema(JsonNode node, JsonNode schema, String path, Problems problems) {
        if (node.isNull()) {
            if (!schema.path("nullable").asBoolean()) {
                problems.add(path, "null is not allowed");
            }
            return;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            if (!node.isIntegralNumber() && !node.isTextual()) {
                problems.add(path, "expected an integer or a string, not " + describe(node));
            }
            return;
        }
        if (schema.has("anyOf")) {
            boolean any = false;
            for (JsonNode branch : schema.get("anyOf")) {
                List<String> branchErrors = new ArrayList<>();
                checkSchema(node, branch, path, (p, m) -> branchErrors.add(m));
                any |= branchErrors.isEmpty();
            }
            if (!any) {
                problems.add(path, "matches none of " + schema.get("anyOf"));
                return;
            }
        }
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
        switch (schema.path("type").asText("")) {
            case "object" -> {
                if (!node.isObject()) {
                    problems.add(path, "expected a mapping, not " + describe(node));
                    return;
                }
                JsonNode properties = schema.path("properties");
                JsonNode additional = schema.get("additionalProperties");
                for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    String childPath = path + "." + field.getKey();
                    if (properties.has(field.getKey())) {
                        checkSchema(field.getValue(), properties.get(field.getKey()), childPath, problems);
                    } else if (additional != null && additional.isObject()) {
                        checkSchema(field.getValue(), additional, childPath, problems);
                    } else if (!(additional != null && additional.asBoolean()) && !preserveUnknown) {
                        problems.add(childPath, "unknown field");
                    }
                }
                for (JsonNode required : schema.path("required")) {
                    if (!node.has(required.asText())) {
                        problems.add(path + "." + required.asText(), "required");
                    }
                }
            }
            case "array" -> {
                if (!node.isArray()) {
                    problems.add(path, "expected a list, not " + describe(node));
                    return;
                }
                for (int i = 0; i < node.size(); i++) {
                    checkSchema(node.get(i), schema.path("items"), path + "[" + i + "]", problems);
                }
            }
            case "string" -> expect(node.isTextual(), "a string", node, path, problems);
            case "integer" -> expect(node.isIntegralNumber(), "an integer", node, path, problems);
            case "number" -> expect(node.isNumber(), "a number", node, path, problems);
            case "boolean" -> expect(node.isBoolean(), "true or false", node, path, problems);
            default -> {
                // No type: only x-kubernetes-preserve-unknown-fields subtrees, which take anything.
            }
        }
        if (schema.has("enum")) {
            List<String> allowed = new ArrayList<>();
            schema.get("enum").forEach(value -> allowed.add(value.asText()));
            if (!allowed.contains(node.asText())) {
                problems.add(path, "'" + node.asText() + "' is not one of " + allowed);
            }
        }
    }

    private static void expect(boolean ok, String what, JsonNode node, String path, Problems problems) {
        if (!ok) {
            problems.add(path, "expected " + what + ", not " + describe(node));
        }
    }

    private static String describe(JsonNode node) {
        return node.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + node;
    }

    // ---- Kubernetes' own types ----

    /** The client-java model of a built-in kind: batch/v1 CronJob is V1CronJob. */
    static String modelClass(String apiVersion, String kind) {
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        return Character.toUpperCase(version.charAt(0)) + version.substring(1) + kind;
    }

    private static void checkKubernetesType(JsonNode node, String modelClass, String path, Problems problems) {
        Method validate;
        try {
            validate = Class.forName("io.kubernetes.client.openapi.models." + modelClass)
                    .getMethod("validateJsonElement", JsonElement.class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            problems.add(path, "Kubernetes has no type " + modelClass);
            return;
        }
        try {
            validate.invoke(null, JsonParser.parseString(JSON.writeValueAsString(node)));
        } catch (InvocationTargetException e) {
            String message = String.valueOf(e.getCause().getMessage());
            // client-java appends the whole JSON of the object; the path already says where it is.
            int json = message.indexOf(" JSON: ");
            int string = message.indexOf(" in the JSON string: ");
            int cut = json >= 0 ? json : string;
            problems.add(path, (cut >= 0 ? message.substring(0, cut) : message) + " (" + modelClass + ")");
        } catch (IllegalAccessException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The operator's pod templates are Pods merged into the ones it generates, so spec.containers may be absent. */
    private static void checkPodTemplates(JsonNode spec, Problems problems) {
        Map<String, JsonNode> templates = new LinkedHashMap<>();
        templates.put(".spec.podTemplate", spec.get("podTemplate"));
        templates.put(".spec.jobManager.podTemplate", spec.path("jobManager").get("podTemplate"));
        templates.put(".spec.taskManager.podTemplate", spec.path("taskManager").get("podTemplate"));
        templates.forEach((path, template) -> {
            if (template == null || !template.isObject()) {
                return;
            }
            ObjectNode copy = template.deepCopy();
            if (copy.get("spec") instanceof ObjectNode podSpec && !podSpec.has("containers")) {
                podSpec.putArray("containers");
            }
            checkKubernetesType(copy, "V1Pod", path, problems);
        });
    }

    // ---- The operator's admission rules ----

    private static void checkOperatorRules(JsonNode resource, Problems problems) {
        String name = resource.path("metadata").path("name").asText("");
        if (!DEPLOYMENT_NAME.matcher(name).matches()) {
            problems.add(".metadata.name", "the operator needs lower case letters, digits and '-', starting with a letter, "
                    + "at most 45 characters");
        }
        JsonNode spec = resource.path("spec");
        for (String field : List.of("image", "flinkVersion", "serviceAccount")) {
            if (!spec.hasNonNull(field)) {
                problems.add(".spec." + field, "required");
            }
        }
        Map<String, String> config = flat(spec.path("flinkConfiguration"));
        for (String key : config.keySet()) {
            if (FORBIDDEN_FLINK_KEYS.contains(key)) {
                problems.add(".spec.flinkConfiguration." + key, "set by the operator; forbidden here");
            }
        }
        for (Iterator<String> keys = spec.path("logConfiguration").fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!LOG_CONFIGURATION_KEYS.contains(key)) {
                problems.add(".spec.logConfiguration." + key, "not one of " + LOG_CONFIGURATION_KEYS);
            }
        }
        for (String component : List.of("jobManager", "taskManager")) {
            JsonNode resources = spec.path(component).path("resource");
            for (String field : List.of("memory", "cpu")) {
                if (!resources.hasNonNull(field)) {
                    // The operator could fall back to Flink's memory options; Nearline sizes every pod explicitly.
                    problems.add(".spec." + component + ".resource." + field, "required");
                }
            }
            if (spec.path(component).has("replicas") && spec.path(component).path("replicas").asInt() < 1) {
                problems.add(".spec." + component + ".replicas", "must be at least 1");
            }
        }
        boolean ha = !config.getOrDefault("high-availability.type", config.getOrDefault("high-availability", "none"))
                .equalsIgnoreCase("none");
        if (spec.path("jobManager").path("replicas").asInt(1) > 1 && !ha) {
            problems.add(".spec.jobManager.replicas", "standby JobManagers need high-availability.type");
        }
        JsonNode job = spec.get("job");
        if (job == null) {
            return;
        }
        if (!job.has("upgradeMode")) {
            problems.add(".spec.job.upgradeMode", "required (always explicit)");
        }
        String upgradeMode = job.path("upgradeMode").asText("stateless");
        if (!upgradeMode.equals("stateless") && blank(config, "execution.checkpointing.dir", "state.checkpoints.dir")) {
            problems.add(".spec.flinkConfiguration", "upgradeMode " + upgradeMode + " needs execution.checkpointing.dir");
        }
        if (upgradeMode.equals("savepoint") && blank(config, "execution.checkpointing.savepoint-dir", "state.savepoints.dir")) {
            problems.add(".spec.flinkConfiguration", "upgradeMode savepoint needs execution.checkpointing.savepoint-dir");
        }
        if (upgradeMode.equals("last-state") && !ha) {
            problems.add(".spec.flinkConfiguration", "upgradeMode last-state needs high-availability.type");
        }
        if (!spec.path("taskManager").has("replicas") && job.path("parallelism").asInt(0) < 1) {
            problems.add(".spec.job.parallelism", "must be at least 1");
        }
        if (!job.hasNonNull("jarURI")) {
            problems.add(".spec.job.jarURI", "required");
        }
    }

    private static boolean blank(Map<String, String> config, String key, String deprecatedKey) {
        return config.getOrDefault(key, config.getOrDefault(deprecatedKey, "")).isBlank();
    }

    private static Map<String, String> flat(JsonNode configuration) {
        Map<String, String> map = new LinkedHashMap<>();
        configuration.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    // ---- Flink's configuration ----

    private void indexFlinkOptions() {
        Path jar;
        try {
            jar = Path.of(CheckpointingOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate flink-core", e);
        }
        flinkCore = jar.getFileName().toString();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : (Iterable<JarEntry>) file.stream()::iterator) {
                String name = entry.getName();
                if (name.matches("org/apache/flink/configuration/[A-Za-z]+Options\\.class")) {
                    index(Class.forName(name.replace('/', '.').replace(".class", "")));
                }
            }
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read Flink's options from " + jar, e);
        }
        flinkOptions.keySet().forEach(deprecatedFlinkKeys::remove);
    }

    private void index(Class<?> holder) {
        for (Field field : holder.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                ConfigOption<?> option;
                try {
                    option = (ConfigOption<?>) field.get(null);
                } catch (IllegalAccessException e) {
                    continue;
                }
                flinkOptions.put(option.key(), option);
                for (FallbackKey fallback : option.fallbackKeys()) {
                    if (fallback.isDeprecated()) {
                        deprecatedFlinkKeys.put(fallback.getKey(), option.key());
                    }
                }
            }
        }
    }

    private void checkFlinkConfiguration(JsonNode configuration, Problems problems) {
        flat(configuration).forEach((key, value) -> {
            String path = ".spec.flinkConfiguration." + key;
            if (SECRET_OPTIONS.contains(key) || key.toLowerCase(Locale.ROOT).contains("password")) {
                return; // reported as a plain-text credential
            }
            if (deprecatedFlinkKeys.containsKey(key)) {
                problems.add(path, "deprecated in Flink; use " + deprecatedFlinkKeys.get(key));
                return;
            }
            if (key.startsWith("nearline.")) {
                return; // NearlineJob's own, checked with its args (checkNearlineJob)
            }
            ConfigOption<?> option = flinkOptions.get(key);
            if (option == null) {
                if (UNCHECKED_FLINK_PREFIXES.stream().noneMatch(key::startsWith) && !REPORTER_KEY.matcher(key).matches()) {
                    problems.add(path, "not an option of Flink (" + flinkCore + ")");
                }
                return;
            }
            Configuration parsed = new Configuration();
            parsed.setString(key, value);
            try {
                parsed.get(option);
            } catch (RuntimeException e) {
                problems.add(path, "'" + value + "' does not parse: " + e.getMessage());
            }
        });
    }

    // ---- Nearline ----

    private static void checkNearlineJob(JsonNode spec, Problems problems) {
        JsonNode job = spec.path("job");
        if (!NEARLINE_JOB.equals(job.path("entryClass").asText())) {
            return;
        }
        List<String> args = new ArrayList<>();
        job.path("args").forEach(arg -> args.add(arg.asText()));
        try {
            NearlineOptions.fromClusterAndArgs(Configuration.fromMap(flat(spec.path("flinkConfiguration"))),
                    args.toArray(new String[0]));
        } catch (IllegalArgumentException e) {
            problems.add(".spec.job", "NearlineJob refuses its flinkConfiguration and args: " + e.getMessage());
        }
    }

    /** Containers anywhere in the resource whose command line runs NearlineCli: it must parse. */
    private static void checkNearlineCli(JsonNode node, String path, Problems problems) {
        if (node.isObject()) {
            if (node.has("name") && (node.has("command") || node.has("args"))) {
                List<String> line = new ArrayList<>();
                node.path("command").forEach(arg -> line.add(arg.asText()));
                node.path("args").forEach(arg -> line.add(arg.asText()));
                int main = line.indexOf(NEARLINE_CLI);
                if (main >= 0) {
                    checkCliArgs(line.subList(main + 1, line.size()), path, problems);
                }
            }
            node.fields().forEachRemaining(field -> checkNearlineCli(field.getValue(), path + "." + field.getKey(), problems));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkNearlineCli(node.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static void checkCliArgs(List<String> args, String path, Problems problems) {
        try {
            CommandLine.ParseResult parsed = new CommandLine(new NearlineCli()).parseArgs(args.toArray(new String[0]));
            CommandLine.ParseResult command = parsed.subcommand();
            if (command == null) {
                problems.add(path, "NearlineCli without a command");
                return;
            }
            CommandLine.Model.OptionSpec settings = command.matchedOption("--set");
            if (settings != null) {
                Map<String, String> map = settings.getValue();
                NearlineOptions.fromSettings(map);
            }
        } catch (CommandLine.ParameterException e) {
            problems.add(path, "nearline " + String.join(" ", args.subList(0, Math.min(1, args.size()))) + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            problems.add(path, "nearline " + args.get(0) + " --set: " + e.getMessage());
        }
    }

    /** Credentials come from secrets: env vars named like one need valueFrom, and no option carries one. */
    private static void checkNoPlainTextSecrets(JsonNode node, String path, Problems problems) {
        if (node.isObject()) {
            if (node.path("env").isArray()) {
                for (int i = 0; i < node.get("env").size(); i++) {
                    JsonNode env = node.get("env").get(i);
                    if (SECRET_ENV.matcher(env.path("name").asText()).matches() && !env.path("valueFrom").has("secretKeyRef")) {
                        problems.add(path + ".env[" + i + "]", env.path("name").asText()
                                + " holds a credential: take it from a Secret (valueFrom.secretKeyRef)");
                    }
                }
            }
            node.fields().forEachRemaining(field -> {
                String key = field.getKey();
                String lower = key.toLowerCase(Locale.ROOT);
                if (path.endsWith(".flinkConfiguration") && (SECRET_OPTIONS.contains(key) || lower.contains("password"))) {
                    problems.add(path + "." + key, "a credential in plain text: take it from a Secret");
                }
                checkNoPlainTextSecrets(field.getValue(), path + "." + key, problems);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                if (item instanceof TextNode text) {
                    String arg = text.asText();
                    if (SECRET_OPTIONS.stream().anyMatch(option -> arg.equals("--" + option) || arg.startsWith(option + "=")
                            || arg.startsWith("-D" + option + "="))) {
                        problems.add(path + "[" + i + "]", "'" + arg + "' would put a credential in plain text: "
                                + "take it from a Secret through the environment");
                    }
                }
                checkNoPlainTextSecrets(item, path + "[" + i + "]", problems);
            }
        }
    }
}
