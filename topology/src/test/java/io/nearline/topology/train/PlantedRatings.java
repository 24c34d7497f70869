package io.nearline.topology.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A ratings file (u.data format) with a planted low-rank structure: members belong to taste groups and
 * rate titles of their group only, in random order over time.
 */
final class PlantedRatings {

    private PlantedRatings() {}

    static Path write(Path dir, int members, int groups, int titlesPerGroup, int ratingsPerMember, long seed) throws IOException {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>();
        for (int member = 0; member < members; member++) {
            int group = member % groups;
            List<Integer> titles = new ArrayList<>();
            for (int t = 0; t < titlesPerGroup; t++) {
                titles.add(group * titlesPerGroup + t);
            }
            Collections.shuffle(titles, random);
            long time = 1_000_000_000L + random.nextInt(1_000_000);
            for (int i = 0; i < ratingsPerMember; i++) {
                time += 60 + random.nextInt(3600);
                lines.add(member + "\t" + titles.get(i) + "\t" + (3 + random.nextInt(3)) + "\t" + time);
            }
        }
        return Files.write(dir.resolve("u.data"), lines);
    }
}
