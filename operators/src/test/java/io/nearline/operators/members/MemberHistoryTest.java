package io.nearline.operators.members;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MemberHistoryTest {

    private static final long HOUR = 3_600_000L;

    @Test
    void mergesATitlesInteractionsDecayingTheOlderWeightExactly() {
        MemberHistory history = new MemberHistory(500, HOUR);
        List<Interaction> compacted = history.compact(List.of(
                new Interaction("a", 2f, 0), new Interaction("b", 1f, HOUR), new Interaction("a", 1f, 2 * HOUR)));
        assertThat(compacted).extracting(i -> i.titleId).containsExactly("b", "a");
        Interaction a = compacted.get(1);
        assertThat(a.time).isEqualTo(2 * HOUR);
        // 2 decayed over two half-lives is 0.5, plus 1.
        assertThat(a.weight).isCloseTo(1.5f, within(1e-6f));
        // Compacting again changes nothing: compaction can run at every recompute.
        assertThat(history.compact(compacted)).isEqualTo(compacted);
    }

    @Test
    void keepsOnlyTheMostRecentTitlesWithinTheBound() {
        MemberHistory history = new MemberHistory(3, 0);
        List<Interaction> raw = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            raw.add(new Interaction("t" + i, 1f, i * 1000L));
        }
        raw.add(new Interaction("t2", 1f, 20_000L));
        assertThat(history.compact(raw)).extracting(i -> i.titleId).containsExactly("t8", "t9", "t2");
    }

    @Test
    void mergingNewEntriesIntoAHistoryEqualsCompactingEverything() {
        java.util.Random random = new java.util.Random(11);
        for (int round = 0; round < 2_000; round++) {
            MemberHistory history = new MemberHistory(1 + random.nextInt(40), random.nextBoolean() ? HOUR : 0);
            List<Interaction> stored = new ArrayList<>();
            for (int i = random.nextInt(60); i > 0; i--) {
                stored.add(new Interaction("t" + random.nextInt(50), random.nextFloat() * 4 - 1, random.nextInt(20) * HOUR / 4));
            }
            List<Interaction> compacted = history.compact(stored);
            List<Interaction> appended = new ArrayList<>();
            // Up to 20 new entries: some late (older than stored ones), some at equal times, titles old and new.
            for (int i = random.nextInt(21); i > 0; i--) {
                appended.add(new Interaction("t" + random.nextInt(60), random.nextFloat() * 4 - 1, random.nextInt(24) * HOUR / 4));
            }
            List<Interaction> all = new ArrayList<>(compacted);
            all.addAll(appended);
            assertThat(history.merge(history.compact(stored), appended)).as("round %d", round).isEqualTo(history.compact(all));
        }
    }

    @Test
    void withoutAHalfLifeWeightsDoNotDecay() {
        MemberHistory history = new MemberHistory(10, 0);
        assertThat(history.decay(3f, 0, 1_000_000_000L)).isEqualTo(3f);
        assertThat(new MemberHistory(10, HOUR).decay(3f, 0, HOUR)).isCloseTo(1.5f, within(1e-6f));
    }
}
