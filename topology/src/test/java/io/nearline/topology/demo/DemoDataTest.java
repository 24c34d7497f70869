package io.nearline.topology.demo;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class DemoDataTest {

    private static DemoData data() {
        return new DemoData(42, 400, 300, 40, 8, 3, 1_800_000_000_000L, 1000);
    }

    @Test
    void membersWatchedMostlyTheirTwoFavouriteGenresAndShowcaseMembersTurnToANewOne() {
        DemoData data = data();
        Map<String, Long> pastOfMember0 = data.history().stream().filter(p -> p.member().equals("member-0"))
                .collect(Collectors.groupingBy(p -> data.genreOf(p.title()), Collectors.counting()));
        long favourites = pastOfMember0.values().stream().sorted((a, b) -> Long.compare(b, a)).limit(2).mapToLong(Long::longValue).sum();
        assertThat(favourites).isGreaterThanOrEqualTo(32); // about 90% of 40
        Map<String, Long> liveOfMember0 = data.live().stream().filter(p -> p.member().equals("member-0"))
                .collect(Collectors.groupingBy(p -> data.genreOf(p.title()), Collectors.counting()));
        assertThat(liveOfMember0).hasSize(1);
        String fresh = liveOfMember0.keySet().iterator().next();
        assertThat(pastOfMember0.getOrDefault(fresh, 0L)).isLessThanOrEqualTo(4);
        assertThat(data.showcase()).containsExactly("member-0", "member-1", "member-2");
    }

    @Test
    void theSameSeedGivesTheSameWorldAndLivePlaysComeInTimeOrder() {
        assertThat(data().history()).isEqualTo(data().history());
        assertThat(data().titles()).isEqualTo(data().titles());
        assertThat(data().live()).hasSize(300 * 8).isSortedAccordingTo(java.util.Comparator.comparingLong(DemoData.Play::time));
        assertThat(data().titles().stream().collect(Collectors.groupingBy(DemoData.Title::genre, Collectors.counting())))
                .hasSize(DemoData.GENRES.size()).allSatisfy((genre, count) -> assertThat(count).isEqualTo(50L));
        assertThat(data().titles().stream().map(DemoData.Title::id).collect(Collectors.toMap(Function.identity(), id -> 1))).hasSize(400);
    }
}
