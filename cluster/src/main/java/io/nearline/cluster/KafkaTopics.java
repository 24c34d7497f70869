package io.nearline.cluster;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates and deletes Kafka topics, both safe to repeat. */
public final class KafkaTopics implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 30;

    private final Admin admin;

    public KafkaTopics(String bootstrapServers, Map<String, String> clientProperties) {
        Properties properties = new Properties();
        properties.putAll(clientProperties);
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        this.admin = Admin.create(properties);
    }

    /** Creates the topics that do not exist yet; existing ones are left as they are. */
    public void createIfAbsent(Collection<String> topics, int partitions, short replicationFactor) throws Exception {
        List<NewTopic> wanted = topics.stream().map(t -> new NewTopic(t, partitions, replicationFactor)).toList();
        admin.createTopics(wanted).values().forEach((topic, future) -> {
            try {
                await(future);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("could not create topic " + topic + ": " + e.getCause().getMessage(), e);
                }
            }
        });
    }

    /** Deletes the topics; those that do not exist are skipped. */
    public void delete(Collection<String> topics) {
        admin.deleteTopics(topics).topicNameValues().forEach((topic, future) -> {
            try {
                await(future);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("could not delete topic " + topic + ": " + e.getCause().getMessage(), e);
                }
            }
        });
    }

    private static void await(org.apache.kafka.common.KafkaFuture<Void> future) throws ExecutionException {
        try {
            future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
