package io.nearline.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Duration;
import java.util.Optional;

/**
 * Members' factors and watched titles as NearlineJob writes them to {@code member_factors}, read through the service's
 * near cache (an absent factor is cached too): what explanations and galleries compute with.
 */
final class MemberFactors {

    private final CassandraTier cassandra;
    private final String modelName;
    private final Cache<String, Optional<CassandraTier.Factor>> near;

    MemberFactors(CassandraTier cassandra, String modelName, Duration ttl, long maxEntries) {
        this.cassandra = cassandra;
        this.modelName = modelName;
        this.near = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(ttl.isZero() ? 0 : maxEntries).build();
    }

    /** The member's factor, empty if Cassandra has none; a {@link TierException} if Cassandra did not answer in time. */
    Optional<CassandraTier.Factor> get(String member, long timeoutMillis) throws TierException {
        Optional<CassandraTier.Factor> factor = near.getIfPresent(member);
        if (factor == null) {
            factor = Optional.ofNullable(cassandra.factor(member, modelName, timeoutMillis));
            near.put(member, factor);
        }
        return factor;
    }
}
