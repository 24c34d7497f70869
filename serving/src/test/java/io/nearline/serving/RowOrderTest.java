package io.nearline.serving;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RowOrderTest {

    private static final List<ServedRow> ROWS = List.of(row("top-picks"), row("because-you-watched:t1"), row("trending"),
            row("because-you-watched:t2"));

    @Test
    void theFirstMatchingRuleOrdersTheRowsItNamesFirstAndKeepsTheRest() {
        RowOrder order = RowOrder.parse(List.of("device=tv,hours=18-23:because-you-watched,trending", "device=tv:trending"));

        assertThat(names(order.apply(ROWS, "tv", 20)))
                .containsExactly("because-you-watched:t1", "because-you-watched:t2", "trending", "top-picks");
        assertThat(names(order.apply(ROWS, "tv", 9))).containsExactly("trending", "top-picks", "because-you-watched:t1",
                "because-you-watched:t2");
        assertThat(names(order.apply(ROWS, "mobile", 20))).isEqualTo(names(ROWS));
    }

    @Test
    void hoursWrapAroundMidnightAndTheirEndIsExclusive() {
        RowOrder order = RowOrder.parse(List.of("hours=22-6:trending"));

        assertThat(names(order.apply(ROWS, null, 23)).get(0)).isEqualTo("trending");
        assertThat(names(order.apply(ROWS, null, 5)).get(0)).isEqualTo("trending");
        assertThat(names(order.apply(ROWS, null, 6)).get(0)).isEqualTo("top-picks");
    }

    @Test
    void badRulesAreRefusedNamingTheRule() {
        assertThatThrownBy(() -> RowOrder.parse(List.of("device=tv"))).hasMessageContaining("'device=tv'");
        assertThatThrownBy(() -> RowOrder.parse(List.of("hours=7pm:trending"))).hasMessageContaining("hours must be like 18-23");
        assertThatThrownBy(() -> RowOrder.parse(List.of("weather=rain:trending"))).hasMessageContaining("unknown condition 'weather'");
        assertThatThrownBy(() -> RowOrder.parse(List.of("device=tv:"))).hasMessageContaining("names no rows");
    }

    private static ServedRow row(String name) {
        return new ServedRow(name, null, List.of("a"), List.of(), ServedRow.CACHE, "m", "v", 0, 0);
    }

    private static List<String> names(List<ServedRow> rows) {
        return rows.stream().map(ServedRow::name).toList();
    }
}
