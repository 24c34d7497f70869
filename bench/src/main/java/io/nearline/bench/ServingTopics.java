package io.nearline.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.List;
import java.util.Properties;

/** The serving benchmark's own topics: models and the catalog it publishes, and the events it posts. */
final class ServingTopics {

    private ServingTopics() {}

    /** The published topic (one partition, read from the start) and the events topic (four, keyed by member). */
    static void create(String kafka, String published, String events) throws Exception {
        try (Admin admin = admin(kafka)) {
            admin.createTopics(List.of(new NewTopic(published, 1, (short) 1), new NewTopic(events, 4, (short) 1))).all().get();
        }
    }

    static void delete(String kafka, String... topics) {
        try (Admin admin = admin(kafka)) {
            admin.deleteTopics(List.of(topics)).all().get();
        } catch (Exception e) {
            System.err.println("bench: could not delete the topics " + List.of(topics) + ": " + e.getMessage());
        }
    }

    private static Admin admin(String kafka) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
        return Admin.create(props);
    }
}
