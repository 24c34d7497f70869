package io.nearline.topology.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ratings in the MovieLens formats: {@code u.data} (tab-separated user, item, rating, timestamp in seconds)
 * or {@code ratings.csv} (a header, then userId,movieId,rating,timestamp). Parsing errors name the file and line.
 */
public final class RatingsFile {

    /** One rating; time in epoch milliseconds. */
    public record Rating(String member, String title, double stars, long time) {}

    private RatingsFile() {}

    /** All ratings of the file, in time order (ties keep file order). */
    public static List<Rating> read(Path file) throws IOException {
        List<Rating> ratings = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || (number == 1 && line.startsWith("userId"))) {
                    continue;
                }
                String[] fields = line.split(line.indexOf('\t') >= 0 ? "\t" : ",");
                if (fields.length < 4) {
                    throw new IllegalArgumentException(file + " line " + number + ": expected user, item, rating, timestamp");
                }
                try {
                    ratings.add(new Rating(fields[0].trim(), fields[1].trim(), Double.parseDouble(fields[2].trim()),
                            Long.parseLong(fields[3].trim()) * 1000));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " line " + number + ": " + e.getMessage());
                }
            }
        }
        if (ratings.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no ratings");
        }
        ratings.sort(Comparator.comparingLong(Rating::time));
        return ratings;
    }
}
