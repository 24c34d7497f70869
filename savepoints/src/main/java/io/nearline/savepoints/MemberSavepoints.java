package io.nearline.savepoints;

import io.nearline.operators.OperatorUids;
import io.nearline.operators.config.JobOptions;
import io.nearline.operators.members.MemberOptions;
import io.nearline.operators.members.MemberStates;
import io.nearline.operators.offline.OfflineInteractions;
import io.nearline.operators.offline.Rated;
import io.nearline.operators.trending.PlaysByRegion;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import io.nearline.schemas.result.TrendingRow;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.state.api.runtime.OperatorIDGenerator;
import org.apache.flink.state.api.runtime.SavepointLoader;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * NearlineJob's savepoints through the State Processor API: what one holds, a rollout of a new model into one, and
 * a new one for members that start warm from offline interactions. The tools read and write the member operator
 * through the job's own uid and state descriptors ({@link MemberStates}), so the job restores what they write.
 * Each operation runs as a batch job in this process.
 */
public final class MemberSavepoints {

    /** Where bootstrap interactions come from: a MovieLens ratings file, or the archive NearlineJob writes. */
    public enum Interactions { RATINGS, ARCHIVE }

    /** One operator's state in a savepoint; {@code name} is its uid when it is one of NearlineJob's. */
    public record OperatorSize(String name, int parallelism, int maxParallelism, long stateBytes) {}

    /** What a savepoint holds. {@code member} is the requested member's state, or null. */
    public record Summary(String path, long checkpointId, List<OperatorSize> operators, long members,
            Map<String, Long> factorVersions, Map<String, Long> rowVersions, List<ArtifactDescriptor> descriptors,
            List<TrendingRow> trending, MemberSnapshot member) {
        public long stateBytes() {
            return operators.stream().mapToLong(OperatorSize::stateBytes).sum();
        }
    }

    /** A savepoint written by a tool. */
    public record Written(String path, long members, ArtifactDescriptor model) {}

    private static final OperatorIdentifier MEMBER_OPERATOR = OperatorIdentifier.forUid(OperatorUids.MEMBER_STATE);
    private static final String MEMBERS_ACCUMULATOR = "members";

    private final Configuration config;
    private final int parallelism;

    public MemberSavepoints(Configuration config, int parallelism) {
        this.config = config;
        this.parallelism = parallelism;
    }

    /** Reads a savepoint: its operators' sizes, members, model descriptors and trending rows, and one member on request. */
    public Summary inspect(String path, String member) throws Exception {
        CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(path);
        List<OperatorSize> operators = operatorSizes(metadata);
        requireMemberOperator(metadata, path);
        StreamExecutionEnvironment env = environment();
        SavepointReader reader = SavepointReader.read(env, path, new HashMapStateBackend());
        DataStream<MemberSnapshot> members = readMembers(reader);
        // One collected stream: a local job's cluster stops when the job ends, before a second one could be read.
        TypeInformation<Found> found = TypeInformation.of(Found.class);
        DataStream<Found> all = readDescriptors(reader).map(t -> Found.of(t.f1)).returns(found)
                .union(readTrending(reader).map(t -> Found.of(t.f1)).returns(found))
                .union(members
                        .flatMap(new CountMembers()).returns(Types.TUPLE(Types.STRING, Types.LONG))
                        .keyBy(new ByLabel(), Types.STRING)
                        .reduce((a, b) -> Tuple2.of(a.f0, a.f1 + b.f1))
                        .map(t -> Found.of(t.f0, t.f1)).returns(found));
        if (member != null) {
            all = all.union(members.filter(new IsMember(member)).map(Found::of).returns(found));
        }
        List<ArtifactDescriptor> models = new ArrayList<>();
        List<TrendingRow> rows = new ArrayList<>();
        long total = 0;
        Map<String, Long> factorVersions = new TreeMap<>();
        Map<String, Long> rowVersions = new TreeMap<>();
        MemberSnapshot requested = null;
        for (Found f : collect(all, "nearline savepoint inspect")) {
            if (f.descriptor != null) {
                models.add(f.descriptor);
            } else if (f.trending != null) {
                rows.add(f.trending);
            } else if (f.member != null) {
                requested = f.member;
            } else if (f.label.equals(CountMembers.MEMBERS)) {
                total = f.count;
            } else if (f.label.startsWith(CountMembers.FACTOR)) {
                factorVersions.put(f.label.substring(CountMembers.FACTOR.length()), f.count);
            } else {
                rowVersions.put(f.label.substring(CountMembers.ROW.length()), f.count);
            }
        }
        models.sort(Comparator.comparing((ArtifactDescriptor d) -> d.getKind().name()).thenComparing(ArtifactDescriptor::getName)
                .thenComparing(ArtifactDescriptor::getPublishedAt));
        rows.sort(Comparator.comparing(TrendingRow::getRegion));
        return new Summary(path, metadata.getCheckpointId(), operators, total, factorVersions, rowVersions, models, rows,
                requested);
    }

    /**
     * Rewrites a savepoint so that {@code model} serves: every member's factor and top-picks row are recomputed
     * against it, it becomes the only model descriptor (similars publications stay), and every member's rows are
     * written to the stores again once the job starts from {@code out}. The other operators' state is copied.
     */
    public Written rollout(String from, ArtifactDescriptor model, String out, Duration refreshWithin) throws Exception {
        CheckpointMetadata metadata = SavepointLoader.loadSavepointMetadata(from);
        requireMemberOperator(metadata, from);
        StreamExecutionEnvironment env = environment();
        SavepointReader reader = SavepointReader.read(env, from, new HashMapStateBackend());
        TypeInformation<Found> found = TypeInformation.of(Found.class);
        DataStream<Found> broadcast = readDescriptors(reader).map(t -> Found.of(t.f1)).returns(found)
                .union(readTrending(reader).map(t -> Found.of(t.f1)).returns(found));
        Map<String, ArtifactDescriptor> kept = new LinkedHashMap<>();
        Map<String, TrendingRow> rows = new LinkedHashMap<>();
        for (Found f : collect(broadcast, "nearline savepoint rollout: read broadcast state")) {
            if (f.descriptor != null && f.descriptor.getKind() != ArtifactKind.MODEL) {
                kept.put(MemberStates.descriptorKey(f.descriptor), f.descriptor);
            } else if (f.trending != null) {
                rows.put(f.trending.getRegion(), f.trending);
            }
        }
        kept.put(MemberStates.descriptorKey(model), model);

        long now = System.currentTimeMillis();
        StreamExecutionEnvironment write = environment();
        DataStream<MemberSnapshot> members = readMembers(SavepointReader.read(write, from, new HashMapStateBackend()));
        StateBootstrapTransformation<MemberSnapshot> memberState =
                memberState(recompute(members, model, rows.get(PlaysByRegion.ALL), now), metadata.getCheckpointId(),
                        kept, rows, now, refreshWithin);
        SavepointWriter.fromExistingSavepoint(write, from, new HashMapStateBackend())
                .removeOperator(MEMBER_OPERATOR)
                .withOperator(MEMBER_OPERATOR, memberState)
                .write(out);
        return written(write.execute("nearline savepoint rollout"), out, model);
    }

    /**
     * Writes a new savepoint for NearlineJob whose members start warm: their interactions from offline data, their
     * factors and top-picks rows computed against {@code model}, which is the active model. Once the job starts
     * from it, every member's rows are written to the stores, before any event arrives.
     */
    public Written bootstrap(ArtifactDescriptor model, String interactions, Interactions format, String out,
            Duration refreshWithin) throws Exception {
        long now = System.currentTimeMillis();
        StreamExecutionEnvironment env = environment();
        DataStream<Rated> rated = format == Interactions.RATINGS
                ? OfflineInteractions.ratings(env, config, interactions) : OfflineInteractions.archive(env, config, interactions);
        DataStream<MemberSnapshot> seeds = rated
                .keyBy(new ByRatedMember(), Types.STRING)
                .process(new SeedMembers())
                .returns(TypeInformation.of(MemberSnapshot.class))
                .name("members");
        StateBootstrapTransformation<MemberSnapshot> memberState = memberState(recompute(seeds, model, null, now), 0L,
                Map.of(MemberStates.descriptorKey(model), model), Map.of(), now, refreshWithin);
        SavepointWriter.newSavepoint(env, new HashMapStateBackend(), config.get(JobOptions.MAX_PARALLELISM))
                .withOperator(MEMBER_OPERATOR, memberState)
                .write(out);
        return written(env.execute("nearline savepoint bootstrap"), out, model);
    }

    private DataStream<MemberSnapshot> recompute(DataStream<MemberSnapshot> members, ArtifactDescriptor model,
            TrendingRow trendingOverall, long now) {
        return members
                .map(new RecomputeMembers(config, model, trendingOverall, now, MEMBERS_ACCUMULATOR))
                .returns(TypeInformation.of(MemberSnapshot.class))
                .name("recompute members with " + model.getName() + " " + model.getVersion())
                .filter(new HasHistory())
                .name("members with history");
    }

    private StateBootstrapTransformation<MemberSnapshot> memberState(DataStream<MemberSnapshot> members, long checkpointId,
            Map<String, ArtifactDescriptor> descriptors, Map<String, TrendingRow> trending, long now, Duration refreshWithin) {
        WriteMemberState function = new WriteMemberState(config.get(MemberOptions.STATE_TTL), now, refreshWithin);
        return OperatorTransformation.bootstrapWith(members, checkpointId)
                .keyBy(new ByMember(), Types.STRING)
                .transform((timestamp, path) -> SimpleOperatorFactory.of(
                        new MemberOperatorWriter(checkpointId, timestamp, path, function, descriptors, trending)));
    }

    private static List<Found> collect(DataStream<Found> stream, String job) throws Exception {
        List<Found> all = new ArrayList<>();
        try (CloseableIterator<Found> found = stream.executeAndCollect(job)) {
            found.forEachRemaining(all::add);
        }
        return all;
    }

    private static Written written(JobExecutionResult result, String out, ArtifactDescriptor model) {
        Long members = result.getAccumulatorResult(MEMBERS_ACCUMULATOR);
        return new Written(out, members == null ? 0 : members, model);
    }

    private StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(parallelism);
        return env;
    }

    private DataStream<MemberSnapshot> readMembers(SavepointReader reader) throws Exception {
        return reader.readKeyedState(MEMBER_OPERATOR, new ReadMemberState(config.get(MemberOptions.STATE_TTL)),
                Types.STRING, TypeInformation.of(MemberSnapshot.class));
    }

    private static DataStream<Tuple2<String, ArtifactDescriptor>> readDescriptors(SavepointReader reader) throws Exception {
        return reader.readBroadcastState(MEMBER_OPERATOR, MemberStates.MODEL_DESCRIPTORS, Types.STRING,
                TypeInformation.of(ArtifactDescriptor.class));
    }

    private static DataStream<Tuple2<String, TrendingRow>> readTrending(SavepointReader reader) throws Exception {
        return reader.readBroadcastState(MEMBER_OPERATOR, MemberStates.TRENDING_ROWS, Types.STRING,
                TypeInformation.of(TrendingRow.class));
    }

    private static void requireMemberOperator(CheckpointMetadata metadata, String path) {
        OperatorID id = OperatorIDGenerator.fromUid(OperatorUids.MEMBER_STATE);
        if (metadata.getOperatorStates().stream().noneMatch(s -> s.getOperatorID().equals(id))) {
            throw new IllegalArgumentException(path + " holds no member state (operator uid " + OperatorUids.MEMBER_STATE
                    + "): not a savepoint of NearlineJob");
        }
    }

    /** The savepoint's operators, named by uid where they are NearlineJob's, largest state first. */
    static List<OperatorSize> operatorSizes(CheckpointMetadata metadata) {
        Map<OperatorID, String> names = new LinkedHashMap<>();
        for (String uid : OperatorUids.NEARLINE_JOB) {
            names.put(OperatorIDGenerator.fromUid(uid), uid);
        }
        List<OperatorSize> sizes = new ArrayList<>();
        for (OperatorState state : metadata.getOperatorStates()) {
            sizes.add(new OperatorSize(names.getOrDefault(state.getOperatorID(), state.getOperatorID().toHexString()),
                    state.getParallelism(), state.getMaxParallelism(), state.getStateSize()));
        }
        sizes.sort(Comparator.comparingLong(OperatorSize::stateBytes).reversed().thenComparing(OperatorSize::name));
        return sizes;
    }

    /** One thing found in a savepoint: a descriptor, a trending row, a member, or a count. */
    public static class Found {
        public ArtifactDescriptor descriptor;
        public TrendingRow trending;
        public MemberSnapshot member;
        public String label;
        public long count;

        public Found() {}

        static Found of(ArtifactDescriptor descriptor) {
            Found f = new Found();
            f.descriptor = descriptor;
            return f;
        }

        static Found of(TrendingRow trending) {
            Found f = new Found();
            f.trending = trending;
            return f;
        }

        static Found of(MemberSnapshot member) {
            Found f = new Found();
            f.member = member;
            return f;
        }

        static Found of(String label, long count) {
            Found f = new Found();
            f.label = label;
            f.count = count;
            return f;
        }
    }

    /** Counts members, and members by factor version and by row version. */
    static final class CountMembers implements FlatMapFunction<MemberSnapshot, Tuple2<String, Long>> {
        static final String MEMBERS = "members";
        static final String FACTOR = "factor:";
        static final String ROW = "row:";

        @Override
        public void flatMap(MemberSnapshot member, Collector<Tuple2<String, Long>> out) {
            out.collect(Tuple2.of(MEMBERS, 1L));
            if (member.factor != null) {
                out.collect(Tuple2.of(FACTOR + member.factor.modelName + " " + member.factor.modelVersion, 1L));
            }
            if (member.lastEmitted != null) {
                out.collect(Tuple2.of(ROW + member.lastEmitted.modelVersion, 1L));
            }
        }
    }

    static final class ByLabel implements KeySelector<Tuple2<String, Long>, String> {
        @Override
        public String getKey(Tuple2<String, Long> count) {
            return count.f0;
        }
    }

    static final class ByMember implements KeySelector<MemberSnapshot, String> {
        @Override
        public String getKey(MemberSnapshot member) {
            return member.member;
        }
    }

    static final class ByRatedMember implements KeySelector<Rated, String> {
        @Override
        public String getKey(Rated rated) {
            return rated.member;
        }
    }

    static final class IsMember implements FilterFunction<MemberSnapshot> {
        private final String member;

        IsMember(String member) {
            this.member = member;
        }

        @Override
        public boolean filter(MemberSnapshot snapshot) {
            return member.equals(snapshot.member);
        }
    }

    static final class HasHistory implements FilterFunction<MemberSnapshot> {
        @Override
        public boolean filter(MemberSnapshot member) {
            return member.history != null;
        }
    }
}
