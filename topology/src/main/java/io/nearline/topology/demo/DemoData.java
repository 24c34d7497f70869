package io.nearline.topology.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A synthetic world with planted tastes, the same for a seed: titles in genres, members who each like two
 * genres and watched mostly those in the past, and a live session per member. A few "showcase" members spend
 * their live session on a genre they never watched, so their rows visibly move towards it.
 */
public final class DemoData {

    public static final List<String> GENRES = List.of("Action", "Comedy", "Drama", "Horror", "Romance", "Sci-Fi",
            "Documentary", "Animation");

    /** A title and its genre. */
    public record Title(String id, String name, String genre, int year) {}

    /** One member's interaction with a title at a time. */
    public record Play(String member, String title, long time) {}

    private final List<Title> titles = new ArrayList<>();
    private final List<Play> history = new ArrayList<>();
    private final List<Play> live = new ArrayList<>();
    private final List<String> showcase = new ArrayList<>();

    /**
     * @param now the demo's start: history ends a day before, live plays start at it, one every {@code gapMillis}
     *            per member
     */
    public DemoData(long seed, int numTitles, int numMembers, int historyPerMember, int livePerMember, int showcaseMembers,
            long now, long gapMillis) {
        Random random = new Random(seed);
        for (int t = 0; t < numTitles; t++) {
            String genre = GENRES.get(t % GENRES.size());
            titles.add(new Title("title-" + t, genre + " " + (t / GENRES.size() + 1), genre, 1960 + random.nextInt(65)));
        }
        long historyStart = now - 31L * 24 * 3_600_000;
        for (int m = 0; m < numMembers; m++) {
            String member = "member-" + m;
            int first = m % GENRES.size();
            int second = (m / GENRES.size() + first + 1) % GENRES.size();
            for (int i = 0; i < historyPerMember; i++) {
                int genre = random.nextDouble() < 0.9 ? (random.nextBoolean() ? first : second) : random.nextInt(GENRES.size());
                history.add(new Play(member, pick(genre, random), historyStart + (long) (random.nextDouble() * 30L * 24 * 3_600_000)));
            }
            boolean showcased = m < showcaseMembers;
            if (showcased) {
                showcase.add(member);
            }
            // A genre the member never favoured: the first one that is neither of theirs.
            int fresh = (Math.max(first, second) + 1) % GENRES.size();
            while (fresh == first || fresh == second) {
                fresh = (fresh + 1) % GENRES.size();
            }
            for (int i = 0; i < livePerMember; i++) {
                int genre = showcased ? fresh : (random.nextBoolean() ? first : second);
                live.add(new Play(member, pick(genre, random), now + i * gapMillis + random.nextInt((int) Math.max(1, gapMillis))));
            }
        }
        history.sort(java.util.Comparator.comparingLong(Play::time));
        live.sort(java.util.Comparator.comparingLong(Play::time));
    }

    private String pick(int genre, Random random) {
        int perGenre = titles.size() / GENRES.size();
        return titles.get(genre + GENRES.size() * random.nextInt(perGenre)).id();
    }

    public List<Title> titles() {
        return titles;
    }

    public List<Play> history() {
        return history;
    }

    /** The live plays in time order. */
    public List<Play> live() {
        return live;
    }

    public List<String> showcase() {
        return showcase;
    }

    public String genreOf(String titleId) {
        return titles.get(Integer.parseInt(titleId.substring("title-".length()))).genre();
    }
}
