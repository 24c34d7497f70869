package io.nearline.topology.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RatingsFileTest {

    @TempDir
    Path dir;

    @Test
    void readsTabSeparatedUDataInTimeOrder() throws Exception {
        Path file = Files.writeString(dir.resolve("u.data"), "196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t377\t1\t878887116\n");
        List<RatingsFile.Rating> ratings = RatingsFile.read(file);
        assertThat(ratings).extracting(RatingsFile.Rating::member).containsExactly("22", "196", "186");
        assertThat(ratings.get(0)).isEqualTo(new RatingsFile.Rating("22", "377", 1.0, 878887116_000L));
    }

    @Test
    void readsRatingsCsvWithItsHeader() throws Exception {
        Path file = Files.writeString(dir.resolve("ratings.csv"),
                "userId,movieId,rating,timestamp\n1,307,3.5,1256677221\n1,481,3.5,1256677456\n");
        assertThat(RatingsFile.read(file)).containsExactly(
                new RatingsFile.Rating("1", "307", 3.5, 1256677221_000L), new RatingsFile.Rating("1", "481", 3.5, 1256677456_000L));
    }

    @Test
    void aBadLineIsNamedWithItsNumber() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.data"), "1\t2\t3\t4\n1\t2\tthree\t4\n");
        assertThatThrownBy(() -> RatingsFile.read(file)).hasMessageContaining("line 2");
        Path shortLine = Files.writeString(dir.resolve("short.data"), "1\t2\n");
        assertThatThrownBy(() -> RatingsFile.read(shortLine)).hasMessageContaining("line 1").hasMessageContaining("expected");
    }
}
