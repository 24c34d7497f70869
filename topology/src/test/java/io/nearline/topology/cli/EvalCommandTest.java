package io.nearline.topology.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class EvalCommandTest {

    private static final Pattern LAST_LINE =
            Pattern.compile("HR@10 popularity=([0-9.]+) stale=([0-9.]+) nearline=([0-9.]+) events=(\\d+)");

    /**
     * Members in taste groups, each group watching its own titles in sessions: a member's next titles come
     * from the group, which nearline learns from the session and popularity cannot know.
     */
    private static Path plantedRatings(Path dir) throws Exception {
        Random random = new Random(4);
        List<String> lines = new ArrayList<>();
        long time = 1_000_000_000L;
        int groups = 8;
        int titlesPerGroup = 40;
        for (int member = 0; member < 400; member++) {
            int group = member % groups;
            List<Integer> titles = new ArrayList<>();
            for (int t = 0; t < titlesPerGroup; t++) {
                titles.add(group * titlesPerGroup + t);
            }
            Collections.shuffle(titles, random);
            for (int i = 0; i < 20; i++) {
                time += 1 + random.nextInt(50);
                lines.add(member + "\t" + titles.get(i) + "\t" + (1 + random.nextInt(5)) + "\t" + time);
            }
        }
        Collections.shuffle(lines, random); // the reader sorts by time
        return Files.write(dir.resolve("u.data"), lines);
    }

    @Test
    void printsItsLastLineAndNearlineBeatsPopularityOnPlantedTastes(@TempDir Path dir) throws Exception {
        Path ratings = plantedRatings(dir);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = NearlineCli.run("eval", "--ratings", ratings.toString(), "--rank", "8", "--iterations", "5");
        } finally {
            System.setOut(original);
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(exit).isZero();
        Matcher last = LAST_LINE.matcher(lines[lines.length - 1]);
        assertThat(last.matches()).as(lines[lines.length - 1]).isTrue();
        double popularity = Double.parseDouble(last.group(1));
        double nearline = Double.parseDouble(last.group(3));
        assertThat(Integer.parseInt(last.group(4))).isPositive();
        assertThat(nearline).isGreaterThan(2 * popularity);
    }

    @Test
    void tuningChoosesOnTheValidationSliceAloneAndThenReportsTheTestReplay(@TempDir Path dir) throws Exception {
        Path ratings = plantedRatings(dir);
        int split = (int) Math.round(Files.readAllLines(ratings).size() * 0.8);
        Path other = withAnotherTestPart(dir, ratings);

        List<String> tuned = tune(ratings);
        List<String> tunedOther = tune(other);

        String chosen = tuned.stream().filter(l -> l.startsWith("tune: chosen")).findFirst().orElseThrow();
        assertThat(chosen).contains("nearline.ranker.sequence-weight=", "nearline.train.neighbours=", "als.rank=");
        assertThat(tuned).filteredOn(l -> l.startsWith("tune: round 1 ")).hasSize(io.nearline.topology.eval.Tuning.KNOBS.size());
        assertThat(tunedOther.stream().filter(l -> l.startsWith("tune:")).toList())
                .as("what tuning tried and chose does not depend on the test replay")
                .isEqualTo(tuned.stream().filter(l -> l.startsWith("tune:")).toList());
        // The validation replay is the last eighth of the training part.
        assertThat(tuned).anyMatch(l -> l.contains("(fit " + Math.round(split * 7.0 / 8) + " ratings, replay "
                + (split - Math.round(split * 7.0 / 8)) + ","));
        assertThat(LAST_LINE.matcher(tuned.get(tuned.size() - 1)).matches()).isTrue();
        assertThat(tunedOther.get(tunedOther.size() - 1)).isNotEqualTo(tuned.get(tuned.size() - 1));
    }

    @Test
    void theValidationReplayDoesNotReadTheTestReplay(@TempDir Path dir) throws Exception {
        Path ratings = plantedRatings(dir);
        Path other = withAnotherTestPart(dir, ratings);

        List<String> validation = run("eval", "--ratings", ratings.toString(), "--rank", "8", "--iterations", "3", "--validation");
        List<String> validationOther = run("eval", "--ratings", other.toString(), "--rank", "8", "--iterations", "3", "--validation");
        List<String> test = run("eval", "--ratings", ratings.toString(), "--rank", "8", "--iterations", "3");

        assertThat(LAST_LINE.matcher(validation.get(validation.size() - 1)).matches()).isTrue();
        assertThat(validationOther.get(validationOther.size() - 1)).isEqualTo(validation.get(validation.size() - 1));
        assertThat(test.get(test.size() - 1)).isNotEqualTo(validation.get(validation.size() - 1));
    }

    private static List<String> run(String... args) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertThat(NearlineCli.run(args)).isZero();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static List<String> tune(Path ratings) {
        return run("eval", "--ratings", ratings.toString(), "--rank", "8", "--iterations", "3", "--tune", "--tune-rounds", "1");
    }

    /** The same training part with another test part: the last 20% in time replaced by ratings of other titles. */
    private static Path withAnotherTestPart(Path dir, Path ratings) throws java.io.IOException {
        List<String> lines = Files.readAllLines(ratings);
        lines.sort(java.util.Comparator.comparingLong(line -> Long.parseLong(line.split("\t")[3])));
        List<String> otherTest = new ArrayList<>(lines);
        for (int i = (int) Math.round(lines.size() * 0.8); i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t");
            otherTest.set(i, f[0] + "\t" + ((Integer.parseInt(f[1]) + 7) % 320) + "\t1\t" + f[3]);
        }
        return Files.write(dir.resolve("other.data"), otherTest);
    }

    @Test
    void onSessionShiftsTheHybridIsAheadOfTheFoldInAlone() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertThat(NearlineCli.run("eval", "--synthetic", "500", "--rank", "16", "--iterations", "5")).isZero();
        } finally {
            System.setOut(original);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        Matcher components = Pattern.compile("components: fold-in only HR@10=([0-9.]+), sequential only HR@10=([0-9.]+);.*")
                .matcher(lines.get(lines.size() - 2));
        Matcher last = LAST_LINE.matcher(lines.get(lines.size() - 1));
        assertThat(components.matches()).as(lines.get(lines.size() - 2)).isTrue();
        assertThat(last.matches()).isTrue();
        double foldInOnly = Double.parseDouble(components.group(1));
        double nearline = Double.parseDouble(last.group(3));
        assertThat(nearline).isGreaterThan(foldInOnly + 0.05);
    }

    @Test
    void badArgumentsGetOneLineNamingThem(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(NearlineCli.run("eval", "--ratings", dir.resolve("none.data").toString())).isEqualTo(2);
            Path ratings = plantedRatings(dir);
            assertThat(NearlineCli.run("eval", "--ratings", ratings.toString(), "--train-fraction", "1.5")).isEqualTo(2);
            assertThat(NearlineCli.run("eval", "--ratings", ratings.toString(), "-D", "nearline.members.nothing=1")).isEqualTo(2);
        } finally {
            System.setErr(original);
        }
        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("nearline: --ratings");
        assertThat(lines.get(1)).startsWith("nearline: --train-fraction");
        assertThat(lines.get(2)).startsWith("nearline: --set").contains("nearline.members.nothing");
    }
}
