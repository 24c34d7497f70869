package io.nearline.operators.cassandra;

import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.type.DataTypes;
import com.datastax.oss.driver.api.core.type.codec.TypeCodecs;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListCodecsTest {

    private static final ProtocolVersion V4 = ProtocolVersion.V4;

    @Test
    void textListsEncodeToTheDriversBytesAndDecodeBack() {
        List<List<String>> lists = List.of(List.of(), List.of("t-1"), List.of("t-1", "", "tt0111161"),
                List.of("Amélie", "東京物語", "t-2", "emoji \uD83C\uDFAC"), randomTitles(25));
        for (List<String> list : lists) {
            ByteBuffer ours = ListCodecs.TEXT_LIST.encode(list, V4);
            assertThat(ours).as("%s", list).isEqualTo(TypeCodecs.listOf(TypeCodecs.TEXT).encode(list, V4));
            assertThat(ListCodecs.TEXT_LIST.decode(ours, V4)).isEqualTo(list);
        }
    }

    @Test
    void floatListsEncodeToTheDriversBytesAndDecodeBack() {
        List<List<Float>> lists = List.of(List.of(), List.of(1f), List.of(-0f, Float.NaN, Float.MAX_VALUE, 1e-30f),
                randomScores(64));
        for (List<Float> list : lists) {
            ByteBuffer ours = ListCodecs.FLOAT_LIST.encode(list, V4);
            assertThat(ours).as("%s", list).isEqualTo(TypeCodecs.listOf(TypeCodecs.FLOAT).encode(list, V4));
            assertThat(ListCodecs.FLOAT_LIST.decode(ours, V4)).isEqualTo(list);
        }
    }

    @Test
    void nullElementsAreRefusedAsTheDriverRefusesThem() {
        assertThatThrownBy(() -> ListCodecs.TEXT_LIST.encode(Arrays.asList("a", null), V4))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ListCodecs.FLOAT_LIST.encode(Arrays.asList(1f, null), V4))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void onlyListsOfTextAndFloatColumnsTakeTheseEncoders() {
        assertThat(ListCodecs.forColumn(DataTypes.frozenListOf(DataTypes.TEXT))).isSameAs(ListCodecs.TEXT_LIST);
        assertThat(ListCodecs.forColumn(DataTypes.listOf(DataTypes.FLOAT))).isSameAs(ListCodecs.FLOAT_LIST);
        assertThat(ListCodecs.forColumn(DataTypes.frozenListOf(DataTypes.BIGINT))).isNull();
        assertThat(ListCodecs.forColumn(DataTypes.TEXT)).isNull();
        assertThat(ListCodecs.TEXT_LIST.accepts(List.of(1L))).isFalse();
    }

    private static List<String> randomTitles(int n) {
        Random random = new Random(7);
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            titles.add("t-" + random.nextInt(1_000_000));
        }
        return titles;
    }

    private static List<Float> randomScores(int n) {
        Random random = new Random(8);
        List<Float> scores = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            scores.add(random.nextFloat() * 2 - 1);
        }
        return scores;
    }
}
