package io.nearline.testing;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceNamesTest {

    private static final String LONG_OWNER = "A".repeat(300) + "$Nested.Inner Class_With-Everything";

    @Test
    void topicNamesFollowKafkaRules() {
        for (String owner : new String[] {"KafkaSmokeITCase", LONG_OWNER}) {
            assertThat(ResourceNames.topic(owner)).matches("[a-zA-Z0-9._-]{1,249}");
        }
    }

    @Test
    void keyspaceNamesFollowCassandraRules() {
        for (String owner : new String[] {"CassandraSmokeITCase", LONG_OWNER}) {
            assertThat(ResourceNames.keyspace(owner)).matches("[a-z][a-z0-9_]{0,47}");
        }
    }

    @Test
    void bucketNamesFollowS3Rules() {
        for (String owner : new String[] {"S3SmokeITCase", LONG_OWNER, "x"}) {
            assertThat(ResourceNames.bucket(owner)).matches("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
        }
    }

    @Test
    void namesForTheSameOwnerAreFresh() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            names.add(ResourceNames.keyspace("SameOwner"));
        }
        assertThat(names).hasSize(1000);
    }
}
