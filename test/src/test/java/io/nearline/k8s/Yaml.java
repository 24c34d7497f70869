package io.nearline.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** YAML documents as Jackson trees (mappings keep their key order). */
final class Yaml {

    static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());

    private Yaml() {}

    /** Every non-empty document of a file. */
    static List<JsonNode> readAll(Path file) throws IOException {
        return readAll(Files.readString(file));
    }

    static List<JsonNode> readAll(String text) throws IOException {
        // Document by document: a reader of values would split a document that is a list into its elements.
        List<JsonNode> docs = new ArrayList<>();
        try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
            while (parser.nextToken() != null) {
                JsonNode doc = MAPPER.readTree(parser);
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }
}
