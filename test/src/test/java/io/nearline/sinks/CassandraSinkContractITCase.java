package io.nearline.sinks;

import com.datastax.oss.driver.api.core.cql.Row;
import io.nearline.operators.cassandra.CassandraOptions;
import io.nearline.operators.cassandra.CassandraRowMapper;
import io.nearline.operators.cassandra.CassandraSink;
import io.nearline.operators.cassandra.CassandraSinkException;
import io.nearline.operators.cassandra.RecommendationRowMapper;
import io.nearline.schemas.CqlSchema;
import io.nearline.schemas.result.RecommendationRow;
import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the Cassandra sink promises besides delivery: nulls stay unset, newer rows win, fatal errors fail fast. */
@RealServices(Service.CASSANDRA)
class CassandraSinkContractITCase {

    /** A row with an optional note and its own write time. */
    public record Note(String id, String note, long writeTimeMicros) implements Serializable {}

    static final class NoteMapper implements CassandraRowMapper<Note> {
        private final String table;

        NoteMapper(String table) {
            this.table = table;
        }

        @Override
        public String table() {
            return table;
        }

        @Override
        public List<String> columns() {
            return List.of("id", "note");
        }

        @Override
        public int partitionKeyColumns() {
            return 1;
        }

        @Override
        public Object[] values(Note row) {
            return new Object[] {row.id(), row.note()};
        }

        @Override
        public boolean usesWriteTime() {
            return true;
        }

        @Override
        public long writeTimeMicros(Note row) {
            return row.writeTimeMicros();
        }
    }

    private static TestServices services;

    @BeforeAll
    static void createTable(TestServices testServices) {
        services = testServices;
        services.keyspaceSession().execute("CREATE TABLE notes (id text PRIMARY KEY, note text)");
        CqlSchema.statements(services.keyspace(), "{'class': 'SimpleStrategy', 'replication_factor': 1}", Map.of())
                .forEach(services.cqlSession()::execute);
    }

    private static Configuration sinkConfig() {
        Configuration config = new Configuration();
        config.set(CassandraOptions.CONTACT_POINTS, List.of(services.endpoints().cassandraHostPort()));
        config.set(CassandraOptions.KEYSPACE, services.keyspace());
        config.set(CassandraOptions.MAX_RETRIES, 3);
        return config;
    }

    private static void write(String table, Note... notes) throws Exception {
        write(sinkConfig(), table, notes);
    }

    private static void write(Configuration config, String table, Note... notes) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromData(TypeInformation.of(Note.class), notes).sinkTo(CassandraSink.of(new NoteMapper(table), config));
        env.execute("cassandra sink contract");
    }

    private static String noteOf(String id) {
        Row row = services.keyspaceSession().execute("SELECT note FROM notes WHERE id = ?", id).one();
        return row == null ? null : row.getString("note");
    }

    @Test
    void nullValuesAreLeftUnsetInsteadOfDeletingWhatIsThere() throws Exception {
        write("notes", new Note("a", "first", 1_000));
        write("notes", new Note("a", null, 2_000));

        assertThat(noteOf("a")).isEqualTo("first");
        Row tombstones = services.keyspaceSession().execute("SELECT writetime(note) FROM notes WHERE id = 'a'").one();
        assertThat(tombstones.getLong(0)).as("the note was not rewritten").isEqualTo(1_000);
    }

    @Test
    void anOlderWriteArrivingLateDoesNotReplaceANewerRow() throws Exception {
        write("notes", new Note("b", "newer", 5_000));
        write("notes", new Note("b", "older, retried late", 4_000));

        assertThat(noteOf("b")).isEqualTo("newer");
    }

    @Test
    void replayingTheSameRowLeavesItsListsAsTheyWere() throws Exception {
        RecommendationRow row = RowGenerator.row(7, 10);
        for (int replay = 0; replay < 2; replay++) {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(1);
            env.fromData(TypeInformation.of(RecommendationRow.class), row, row)
                    .sinkTo(CassandraSink.of(new RecommendationRowMapper(), sinkConfig()));
            env.execute("replay " + replay);
        }

        Row stored = services.keyspaceSession().execute(
                "SELECT titles, scores FROM recommendations WHERE member_id = ? AND row_name = ?",
                row.getMemberId(), row.getRowName()).one();
        assertThat(stored.getList("titles", String.class)).isEqualTo(row.getTitles());
        assertThat(stored.getList("scores", Float.class)).isEqualTo(row.getScores());
    }

    /**
     * Rows of one key arrive newest last but with falling write times: written one by one, Cassandra keeps the first
     * (the highest write time); held and conflated, only the last reaches it.
     */
    private static Note[] fallingWriteTimes(String id) {
        Note[] notes = new Note[100];
        for (int i = 0; i < notes.length; i++) {
            notes[i] = new Note(id, "v" + (i + 1), 10_000 - i);
        }
        return notes;
    }

    @Test
    void withWriteBehindOnlyTheNewestOfEachRowIsWrittenAndHeldRowsAreWrittenAtTheEndOfTheInput() throws Exception {
        Configuration config = sinkConfig();
        config.set(CassandraOptions.WRITE_BEHIND, Duration.ofMinutes(10)); // longer than the job: released at its end
        write(config, "notes", fallingWriteTimes("held"));

        assertThat(noteOf("held")).isEqualTo("v100");
    }

    @Test
    void withWriteBehindARunningJobWritesItsHeldRowsWhenTheIntervalEnds() throws Exception {
        Configuration config = sinkConfig();
        config.set(CassandraOptions.WRITE_BEHIND, Duration.ofSeconds(1));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        // Never ends: only the interval's end can release the rows.
        env.fromSource(new org.apache.flink.connector.testframe.source.FromElementsSource<>(
                        org.apache.flink.api.connector.source.Boundedness.CONTINUOUS_UNBOUNDED, List.of(fallingWriteTimes("running")), 100),
                        org.apache.flink.api.common.eventtime.WatermarkStrategy.noWatermarks(), "notes")
                .returns(TypeInformation.of(Note.class))
                .sinkTo(CassandraSink.of(new NoteMapper("notes"), config));
        org.apache.flink.core.execution.JobClient job = env.executeAsync("write-behind while running");
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (noteOf("running") == null && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(noteOf("running")).isEqualTo("v100");
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void withoutWriteBehindEveryRowIsWritten() throws Exception {
        Configuration config = sinkConfig();
        config.set(CassandraOptions.WRITE_BEHIND, Duration.ZERO);
        write(config, "notes", fallingWriteTimes("each"));

        assertThat(noteOf("each")).isEqualTo("v1");
    }

    @Test
    void fatalErrorsFailTheJobAtOnceWithTheirCause() {
        assertThatThrownBy(() -> write("no_such_table", new Note("c", "x", 1)))
                .satisfies(e -> assertThat(ExceptionUtils.findThrowable(e, CassandraSinkException.class))
                        .hasValueSatisfying(fatal -> assertThat(fatal.getMessage())
                                .as("failed as a schema mismatch, not after retries")
                                .contains("cannot prepare")
                                .contains("no_such_table")
                                .doesNotContain("retries")));
    }
}
