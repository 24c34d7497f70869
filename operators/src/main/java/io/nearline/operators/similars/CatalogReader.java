package io.nearline.operators.similars;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a catalog with its facets from the formats Nearline knows, chosen by file name:
 * <ul>
 *   <li>MovieLens 100k {@code u.item} (pipe-separated, Latin-1; genre flags named by {@code u.genre} beside it):
 *   facets {@code genre}, {@code year}, {@code decade};</li>
 *   <li>MovieLens {@code movies.csv} (genres separated by '|', the year in the title), with {@code tags.csv}
 *   beside it when present: facets {@code genre}, {@code year}, {@code decade}, {@code tag};</li>
 *   <li>any other name: JSON lines, one {@code {"id": …, "name": …, "facets": {"genre": [...], "maturity": [...],
 *   "region": [...]}}} per line, for catalogs with facets MovieLens lacks (cast, language, maturity,
 *   availability by region).</li>
 * </ul>
 * A malformed line is refused with its line number.
 */
public final class CatalogReader {

    private static final Pattern TITLE_YEAR = Pattern.compile("\\((\\d{4})\\)\\s*$");
    /** The 19 genre flags of u.item, in column order, for a u.item without its u.genre. */
    private static final List<String> ML100K_GENRES = List.of("unknown", "Action", "Adventure", "Animation", "Children's",
            "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance",
            "Sci-Fi", "Thriller", "War", "Western");

    private CatalogReader() {}

    public static Catalog read(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.equals("u.item")) {
            return Catalog.of(uItem(file));
        }
        if (name.endsWith(".csv")) {
            return Catalog.of(moviesCsv(file));
        }
        return Catalog.of(jsonLines(file));
    }

    static List<CatalogTitle> uItem(Path file) throws IOException {
        Path genreFile = file.resolveSibling("u.genre");
        List<String> genres = new ArrayList<>(ML100K_GENRES);
        if (Files.exists(genreFile)) {
            genres.clear();
            for (String line : Files.readAllLines(genreFile, Charset.forName("ISO-8859-1"))) {
                if (!line.isBlank()) {
                    genres.add(line.substring(0, line.lastIndexOf('|')));
                }
            }
        }
        List<CatalogTitle> titles = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, Charset.forName("ISO-8859-1"));
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\\|", -1);
            if (fields.length < 5 + genres.size()) {
                throw malformed(file, n, "expected " + (5 + genres.size()) + " fields separated by '|', found " + fields.length);
            }
            Map<String, List<String>> facets = new LinkedHashMap<>();
            List<String> titleGenres = new ArrayList<>();
            for (int g = 0; g < genres.size(); g++) {
                if ("1".equals(fields[5 + g].trim())) {
                    titleGenres.add(genres.get(g));
                }
            }
            facets.put("genre", titleGenres);
            String date = fields[2].trim();
            if (date.length() >= 4) {
                year(date.substring(date.length() - 4), facets);
            }
            titles.add(new CatalogTitle(fields[0].trim(), fields[1].trim(), facets));
        }
        return titles;
    }

    static List<CatalogTitle> moviesCsv(Path file) throws IOException {
        Map<String, TreeSet<String>> tags = new LinkedHashMap<>();
        Path tagFile = file.resolveSibling("tags.csv");
        if (Files.exists(tagFile)) {
            List<String> lines = Files.readAllLines(tagFile, StandardCharsets.UTF_8);
            for (int n = 1; n < lines.size(); n++) {
                List<String> fields = csv(lines.get(n));
                if (fields.size() < 3) {
                    if (!lines.get(n).isBlank()) {
                        throw malformed(tagFile, n, "expected userId,movieId,tag,timestamp");
                    }
                    continue;
                }
                String tag = fields.get(2).trim().toLowerCase(Locale.ROOT);
                if (!tag.isEmpty()) {
                    tags.computeIfAbsent(fields.get(1).trim(), k -> new TreeSet<>()).add(tag);
                }
            }
        }
        List<CatalogTitle> titles = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int n = 1; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) {
                continue;
            }
            List<String> fields = csv(lines.get(n));
            if (fields.size() != 3) {
                throw malformed(file, n, "expected movieId,title,genres");
            }
            Map<String, List<String>> facets = new LinkedHashMap<>();
            String genres = fields.get(2).trim();
            facets.put("genre", genres.equals("(no genres listed)") ? List.of() : List.of(genres.split("\\|")));
            Matcher year = TITLE_YEAR.matcher(fields.get(1).trim());
            if (year.find()) {
                year(year.group(1), facets);
            }
            String id = fields.get(0).trim();
            if (tags.containsKey(id)) {
                facets.put("tag", new ArrayList<>(tags.get(id)));
            }
            titles.add(new CatalogTitle(id, fields.get(1).trim(), facets));
        }
        return titles;
    }

    static List<CatalogTitle> jsonLines(Path file) throws IOException {
        return jsonLines(file.getFileName().toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** A catalog in JSON lines (UTF-8) that is not a file, such as a published catalog; {@code source} names it in errors. */
    public static Catalog jsonLines(String source, byte[] bytes) throws IOException {
        return Catalog.of(jsonLines(source, new String(bytes, StandardCharsets.UTF_8).lines().toList()));
    }

    private static List<CatalogTitle> jsonLines(String file, List<String> lines) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<CatalogTitle> titles = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) {
                continue;
            }
            JsonNode node;
            try {
                node = json.readTree(lines.get(n));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw malformed(file, n, "not JSON: " + e.getOriginalMessage());
            }
            if (!node.path("id").isTextual() || node.path("id").asText().isEmpty()) {
                throw malformed(file, n, "'id' must be a non-empty string");
            }
            Map<String, List<String>> facets = new LinkedHashMap<>();
            JsonNode facetNode = node.path("facets");
            if (!facetNode.isMissingNode() && !facetNode.isObject()) {
                throw malformed(file, n, "'facets' must be an object of lists");
            }
            for (Map.Entry<String, JsonNode> facet : facetNode.properties()) {
                List<String> values = new ArrayList<>();
                if (facet.getValue().isArray()) {
                    facet.getValue().forEach(v -> values.add(v.asText()));
                } else if (facet.getValue().isValueNode()) {
                    values.add(facet.getValue().asText());
                } else {
                    throw malformed(file, n, "facet '" + facet.getKey() + "' must be a value or a list of values");
                }
                facets.put(facet.getKey(), values);
            }
            titles.add(new CatalogTitle(node.get("id").asText(), node.path("name").asText(node.get("id").asText()), facets));
        }
        return titles;
    }

    private static void year(String text, Map<String, List<String>> facets) {
        if (text.chars().allMatch(Character::isDigit)) {
            facets.put("year", List.of(text));
            facets.put("decade", List.of(text.substring(0, 3) + "0s"));
        }
    }

    /** Splits one CSV line, honouring double quotes (MovieLens quotes titles that contain commas). */
    static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    private static IOException malformed(Path file, int lineIndex, String why) {
        return malformed(file.getFileName().toString(), lineIndex, why);
    }

    private static IOException malformed(String file, int lineIndex, String why) {
        return new IOException(file + " line " + (lineIndex + 1) + ": " + why);
    }
}
