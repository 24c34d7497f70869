package io.nearline.topology.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A synthetic data set with session shifts, for the evaluation: members have two or three favourite genres and
 * watch in sessions of a few titles of one genre, now and then a genre that is not one of theirs; titles within a
 * genre are long-tailed in popularity, and come in series of a few titles that half the sessions follow in order
 * from where the member left off (episodes, sequels). What a member watches next follows the current session more than the
 * member's whole history, which is what the ranker's item-to-item score is for. Deterministic for a seed.
 */
public final class SessionRatings {

    private static final int GENRES = 16;
    private static final int TITLES_PER_GENRE = 60;
    private static final int SERIES_LENGTH = 6;
    private static final int SERIES_PER_GENRE = TITLES_PER_GENRE / SERIES_LENGTH;
    private static final long DAY = 86_400_000L;

    private SessionRatings() {}

    /** About 40 ratings per member over 60 days. */
    public static List<RatingsFile.Rating> generate(int members, long seed) {
        Random random = new Random(seed);
        List<RatingsFile.Rating> ratings = new ArrayList<>();
        long start = 1_700_000_000_000L;
        for (int m = 0; m < members; m++) {
            String member = "m" + m;
            int favourites = 2 + random.nextInt(2);
            int[] liked = random.ints(0, GENRES).distinct().limit(favourites).toArray();
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            int sessions = 6 + random.nextInt(6);
            for (int s = 0; s < sessions; s++) {
                long time = start + (long) (random.nextDouble() * 60 * DAY);
                int genre = random.nextDouble() < 0.75 ? liked[random.nextInt(liked.length)] : random.nextInt(GENRES);
                int plays = 3 + random.nextInt(6);
                // Half the sessions follow a series of the genre in order (the next titles after those seen).
                int series = random.nextBoolean() ? genre * SERIES_PER_GENRE + (int) (Math.pow(random.nextDouble(), 2) * SERIES_PER_GENRE) : -1;
                for (int p = 0; p < plays; p++) {
                    int title;
                    if (series >= 0) {
                        int next = 0;
                        while (next < SERIES_LENGTH && seen.contains(series * SERIES_LENGTH + next)) {
                            next++;
                        }
                        if (next == SERIES_LENGTH) {
                            break;
                        }
                        title = series * SERIES_LENGTH + next;
                    } else {
                        // Long-tailed within the genre: the square of a uniform number favours the first titles.
                        double u = random.nextDouble();
                        title = genre * TITLES_PER_GENRE + (int) (u * u * TITLES_PER_GENRE);
                    }
                    if (seen.add(title)) {
                        time += 60_000 + random.nextInt(3_000_000);
                        ratings.add(new RatingsFile.Rating(member, "g" + title, 3 + random.nextInt(3), time));
                    }
                }
            }
        }
        ratings.sort(Comparator.comparingLong(RatingsFile.Rating::time).thenComparing(RatingsFile.Rating::member));
        return ratings;
    }
}
