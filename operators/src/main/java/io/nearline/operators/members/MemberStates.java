package io.nearline.operators.members;

import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ArtifactKind;
import org.apache.flink.api.common.state.ListStateDescriptor;
import io.nearline.schemas.result.MemberFactor;
import io.nearline.schemas.result.TrendingRow;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import java.time.Duration;

/**
 * The state of the member operator: its descriptors, shared with the savepoint tools so that both always agree
 * (never copy these names). Its uid is {@link io.nearline.operators.OperatorUids#MEMBER_STATE}.
 */
public final class MemberStates {

    /** The member's compacted interactions, one entry per title. */
    public static final String HISTORY = "interaction-history";
    /** Interactions since the last recompute, appended one by one. */
    public static final String RECENT = "recent-interactions";
    public static final String FACTOR = "member-factor";
    public static final String LAST_EMITTED = "last-emitted";
    /** When the member's factor was last written out, and when a newer one is due. */
    public static final String FACTOR_WRITE = "factor-write";
    /** The member's newest factor record while its write waits for the interval. */
    public static final String PENDING_FACTOR = "pending-factor";
    /** Broadcast state: the published descriptors of the models in use, by name@version. */
    public static final String MODEL_DESCRIPTORS = "model-descriptors";
    public static final String TRENDING_ROWS = "trending-rows";

    private static final String SIMILARS_KEY_PREFIX = "similars@";

    private MemberStates() {}

    /** The key of a descriptor in {@link #MODEL_DESCRIPTORS}: name@version, prefixed for similars results. */
    public static String descriptorKey(ArtifactDescriptor descriptor) {
        String key = descriptor.getName() + "@" + descriptor.getVersion();
        return descriptor.getKind() == ArtifactKind.SIMILARS ? SIMILARS_KEY_PREFIX + key : key;
    }

    public static ValueStateDescriptor<InteractionHistory> history(Duration ttl) {
        ValueStateDescriptor<InteractionHistory> descriptor =
                new ValueStateDescriptor<>(HISTORY, TypeInformation.of(InteractionHistory.class));
        descriptor.enableTimeToLive(ttl(ttl));
        return descriptor;
    }

    public static ListStateDescriptor<Interaction> recent(Duration ttl) {
        ListStateDescriptor<Interaction> descriptor = new ListStateDescriptor<>(RECENT, TypeInformation.of(Interaction.class));
        descriptor.enableTimeToLive(ttl(ttl));
        return descriptor;
    }

    public static ValueStateDescriptor<FactorState> factor(Duration ttl) {
        ValueStateDescriptor<FactorState> descriptor = new ValueStateDescriptor<>(FACTOR, TypeInformation.of(FactorState.class));
        descriptor.enableTimeToLive(ttl(ttl));
        return descriptor;
    }

    public static ValueStateDescriptor<EmittedRow> lastEmitted(Duration ttl) {
        ValueStateDescriptor<EmittedRow> descriptor = new ValueStateDescriptor<>(LAST_EMITTED, TypeInformation.of(EmittedRow.class));
        descriptor.enableTimeToLive(ttl(ttl));
        return descriptor;
    }

    public static ValueStateDescriptor<FactorWrite> factorWrite(Duration ttl) {
        ValueStateDescriptor<FactorWrite> descriptor = new ValueStateDescriptor<>(FACTOR_WRITE, TypeInformation.of(FactorWrite.class));
        descriptor.enableTimeToLive(ttl(ttl));
        return descriptor;
    }

    public static ValueStateDescriptor<MemberFactor> pendingFactor(Duration ttl) {
        ValueStateDescriptor<MemberFactor> descriptor = new ValueStateDescriptor<>(PENDING_FACTOR, TypeInformation.of(MemberFactor.class));
        descriptor.enableTimeToLive(ttl(ttl));
        return descriptor;
    }

    /** The newest Trending Now row of each region, by region: the fallback row for members with little history. */
    public static MapStateDescriptor<String, TrendingRow> trendingRows() {
        return new MapStateDescriptor<>(TRENDING_ROWS, Types.STRING, TypeInformation.of(TrendingRow.class));
    }

    public static MapStateDescriptor<String, ArtifactDescriptor> modelDescriptors() {
        return new MapStateDescriptor<>(MODEL_DESCRIPTORS, Types.STRING, TypeInformation.of(ArtifactDescriptor.class));
    }

    private static StateTtlConfig ttl(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupFullSnapshot()
                .cleanupIncrementally(10, false)
                .cleanupInRocksdbCompactFilter(1000)
                .build();
    }
}
