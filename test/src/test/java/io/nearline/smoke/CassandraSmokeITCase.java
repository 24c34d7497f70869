package io.nearline.smoke;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

@RealServices(Service.CASSANDRA)
class CassandraSmokeITCase {

    private static final int MEMBERS = 500;

    @Test
    void insertedRowsAreReadBackAndUpsertsReplaceThem(TestServices services) throws Exception {
        CqlSession session = services.keyspaceSession();
        session.execute("CREATE TABLE rows_by_member (member_id text PRIMARY KEY, titles list<int>, version int)");
        PreparedStatement insert =
                session.prepare("INSERT INTO rows_by_member (member_id, titles, version) VALUES (?, ?, ?)");

        Map<String, List<Integer>> expected = new HashMap<>();
        List<CompletionStage<AsyncResultSet>> writes = new ArrayList<>();
        for (int m = 0; m < MEMBERS; m++) {
            List<Integer> titles = List.of(m, m + 1, m + 2);
            expected.put("m" + m, titles);
            writes.add(session.executeAsync(insert.bind("m" + m, titles, 1)));
        }
        for (CompletionStage<AsyncResultSet> write : writes) {
            write.toCompletableFuture().get();
        }
        // An upsert on the same key replaces the row: what makes replays after a restore harmless.
        session.execute(insert.bind("m7", List.of(42), 2));
        expected.put("m7", List.of(42));

        Map<String, List<Integer>> actual = new HashMap<>();
        for (Row row : session.execute("SELECT member_id, titles, version FROM rows_by_member")) {
            actual.put(row.getString("member_id"), row.getList("titles", Integer.class));
        }
        assertThat(actual).isEqualTo(expected);
        Row upserted = session.execute("SELECT version FROM rows_by_member WHERE member_id = 'm7'").one();
        assertThat(upserted).isNotNull();
        assertThat(upserted.getInt("version")).isEqualTo(2);
    }
}
