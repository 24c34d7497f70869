package io.nearline.operators.models;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TitleIndexTest {

    @Test
    void findsEveryTitleAtItsRowAndNoOther() {
        String[] ids = new String[10_000];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = "t-" + i;
        }
        TitleIndex index = new TitleIndex(ids);
        for (int i = 0; i < ids.length; i++) {
            // A copy, as a title read from state is: equal, not the same object.
            assertThat(index.row(new String(ids[i]))).isEqualTo(i);
        }
        assertThat(index.row("t-10000")).isEqualTo(-1);
        assertThat(index.row("")).isEqualTo(-1);
        assertThat(new TitleIndex(new String[0]).row("t-1")).isEqualTo(-1);
    }

    @Test
    void refusesATitleThatAppearsTwice() {
        assertThatThrownBy(() -> new TitleIndex(new String[] {"a", "b", "a"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("item a appears twice");
    }
}
