package io.nearline.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the part of kustomize that k8s/ uses:
 * {@code resources} (files and folders with their own kustomization), {@code namespace}, and {@code patches}
 * (a file or inline; a merge patch, or a JSON 6902 list of add, replace, remove and test operations; a
 * {@code target} by kind and name). Anything else in a kustomization is refused rather than ignored, and so is
 * a merge patch that would meet an existing list: kustomize may merge such lists by a key (containers by name)
 * where a plain merge would replace them, so lists are changed with JSON patches only.
 * {@code ManifestsTest} compares the result with {@code kubectl kustomize} wherever kubectl is installed.
 */
final class Kustomize {

    private static final Set<String> KNOWN_FIELDS = Set.of("apiVersion", "kind", "resources", "namespace", "patches");
    private static final Set<String> TARGET_FIELDS = Set.of("kind", "name");

    /** The rendered resources, and which files were read as resources and as patches. */
    record Rendered(List<ObjectNode> resources, Set<Path> resourceFiles, Set<Path> patchFiles) {}

    private Kustomize() {}

    static boolean isKustomizationDir(Path dir) {
        return Files.isRegularFile(dir.resolve("kustomization.yaml"));
    }

    static Rendered render(Path dir) throws IOException {
        Path file = dir.resolve("kustomization.yaml");
        List<JsonNode> docs = Yaml.readAll(file);
        if (docs.size() != 1 || !docs.get(0).isObject()) {
            throw new IllegalArgumentException(file + ": expected one kustomization document");
        }
        JsonNode k = docs.get(0);
        for (Iterator<String> names = k.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KNOWN_FIELDS.contains(name)) {
                throw new IllegalArgumentException(file + ": field '" + name + "' is not rendered by this test; "
                        + "extend Kustomize or do without it");
            }
        }
        List<ObjectNode> resources = new ArrayList<>();
        Set<Path> resourceFiles = new LinkedHashSet<>();
        Set<Path> patchFiles = new LinkedHashSet<>();
        for (JsonNode entry : k.path("resources")) {
            Path path = dir.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                Rendered inner = render(path);
                resources.addAll(inner.resources());
                resourceFiles.addAll(inner.resourceFiles());
                patchFiles.addAll(inner.patchFiles());
            } else {
                resourceFiles.add(path);
                for (JsonNode doc : Yaml.readAll(path)) {
                    if (!doc.isObject()) {
                        throw new IllegalArgumentException(path + ": a resource must be a mapping");
                    }
                    resources.add((ObjectNode) doc);
                }
            }
        }
        for (JsonNode patch : k.path("patches")) {
            String where = file + " patch " + patch;
            JsonNode content;
            if (patch.has("path")) {
                Path path = dir.resolve(patch.get("path").asText()).normalize();
                patchFiles.add(path);
                List<JsonNode> patchDocs = Yaml.readAll(path);
                if (patchDocs.size() != 1) {
                    throw new IllegalArgumentException(where + ": a patch file holds one document");
                }
                content = patchDocs.get(0);
                where = path.toString();
            } else if (patch.has("patch")) {
                content = Yaml.MAPPER.readTree(patch.get("patch").asText());
            } else {
                throw new IllegalArgumentException(where + ": needs path or patch");
            }
            List<ObjectNode> targets = targets(resources, patch.get("target"), content, where);
            for (ObjectNode target : targets) {
                if (content.isArray()) {
                    applyJsonPatch(target, (ArrayNode) content, where);
                } else {
                    ObjectNode merge = content.deepCopy();
                    merge.remove("apiVersion");
                    merge.remove("kind");
                    if (merge.get("metadata") instanceof ObjectNode metadata) {
                        metadata.remove("name");
                        metadata.remove("namespace");
                    }
                    mergePatch(target, merge, where, "");
                }
            }
        }
        if (k.has("namespace")) {
            for (ObjectNode resource : resources) {
                resource.withObjectProperty("metadata").put("namespace", k.get("namespace").asText());
            }
        }
        return new Rendered(resources, resourceFiles, patchFiles);
    }

    private static List<ObjectNode> targets(List<ObjectNode> resources, JsonNode target, JsonNode content, String where) {
        String kind;
        String name;
        if (target != null) {
            for (Iterator<String> names = target.fieldNames(); names.hasNext(); ) {
                String field = names.next();
                if (!TARGET_FIELDS.contains(field)) {
                    throw new IllegalArgumentException(where + ": target field '" + field + "' is not rendered by this test");
                }
            }
            kind = target.path("kind").asText(null);
            name = target.path("name").asText(null);
        } else if (content.isObject()) {
            kind = content.path("kind").asText(null);
            name = content.path("metadata").path("name").asText(null);
            if (kind == null || name == null) {
                throw new IllegalArgumentException(where + ": a merge patch without target needs kind and metadata.name");
            }
        } else {
            throw new IllegalArgumentException(where + ": a JSON patch needs a target");
        }
        List<ObjectNode> matched = new ArrayList<>();
        for (ObjectNode resource : resources) {
            // Kustomize matches target names as anchored regular expressions.
            if ((kind == null || kind.equals(resource.path("kind").asText()))
                    && (name == null || Pattern.matches(name, resource.path("metadata").path("name").asText()))) {
                matched.add(resource);
            }
        }
        if (matched.isEmpty()) {
            throw new IllegalArgumentException(where + ": matches no resource (kind " + kind + ", name " + name + ")");
        }
        return matched;
    }

    /** RFC 7386, refusing to meet an existing list (see the class comment). */
    private static void mergePatch(ObjectNode target, ObjectNode patch, String where, String path) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(key);
            if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && existing instanceof ObjectNode existingObject) {
                mergePatch(existingObject, (ObjectNode) value, where, path + "/" + key);
            } else if (existing != null && (existing.isArray() || value.isArray())) {
                throw new IllegalArgumentException(where + ": merge patch meets the list " + path + "/" + key
                        + "; change lists with a JSON patch");
            } else {
                target.set(key, value.deepCopy());
            }
        }
    }

    private static void applyJsonPatch(ObjectNode target, ArrayNode operations, String where) {
        for (JsonNode operation : operations) {
            String op = operation.path("op").asText();
            String path = operation.path("path").asText();
            List<String> tokens = pointer(path, where);
            JsonNode parent = target;
            for (String token : tokens.subList(0, tokens.size() - 1)) {
                parent = child(parent, token, path, where);
            }
            String last = tokens.get(tokens.size() - 1);
            switch (op) {
                case "add" -> {
                    JsonNode value = required(operation, "value", where).deepCopy();
                    if (parent instanceof ArrayNode array) {
                        if (last.equals("-")) {
                            array.add(value);
                        } else {
                            array.insert(index(array, last, path, where, true), value);
                        }
                    } else if (parent instanceof ObjectNode object) {
                        object.set(last, value);
                    } else {
                        throw new IllegalArgumentException(where + ": " + path + ": parent is not a list or mapping");
                    }
                }
                case "replace" -> {
                    JsonNode value = required(operation, "value", where).deepCopy();
                    child(parent, last, path, where);
                    if (parent instanceof ArrayNode array) {
                        array.set(index(array, last, path, where, false), value);
                    } else {
                        ((ObjectNode) parent).set(last, value);
                    }
                }
                case "remove" -> {
                    child(parent, last, path, where);
                    if (parent instanceof ArrayNode array) {
                        array.remove(index(array, last, path, where, false));
                    } else {
                        ((ObjectNode) parent).remove(last);
                    }
                }
                case "test" -> {
                    JsonNode actual = child(parent, last, path, where);
                    if (!actual.equals(required(operation, "value", where))) {
                        throw new IllegalArgumentException(where + ": test of " + path + " failed: it is " + actual);
                    }
                }
                default -> throw new IllegalArgumentException(where + ": JSON patch op '" + op + "' is not rendered by this test");
            }
        }
    }

    private static JsonNode required(JsonNode operation, String field, String where) {
        if (!operation.has(field)) {
            throw new IllegalArgumentException(where + ": " + operation + " has no " + field);
        }
        return operation.get(field);
    }

    private static List<String> pointer(String path, String where) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(where + ": '" + path + "' is not a JSON pointer");
        }
        List<String> tokens = new ArrayList<>();
        for (String token : path.substring(1).split("/", -1)) {
            tokens.add(token.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    private static JsonNode child(JsonNode parent, String token, String path, String where) {
        JsonNode child = parent.isArray() ? parent.get(index((ArrayNode) parent, token, path, where, false)) : parent.get(token);
        if (child == null) {
            throw new IllegalArgumentException(where + ": " + path + " does not exist");
        }
        return child;
    }

    private static int index(ArrayNode array, String token, String path, String where, boolean orEnd) {
        try {
            int index = Integer.parseInt(token);
            if (index >= 0 && (index < array.size() || orEnd && index == array.size())) {
                return index;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(where + ": " + path + ": no element '" + token + "' in a list of " + array.size());
    }
}
