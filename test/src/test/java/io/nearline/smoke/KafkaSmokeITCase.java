package io.nearline.smoke;

import io.nearline.testing.RealServices;
import io.nearline.testing.Service;
import io.nearline.testing.TestServices;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@RealServices(Service.KAFKA)
class KafkaSmokeITCase {

    private static final int RECORDS = 10_000;
    private static final int KEYS = 50;

    @Test
    void everyProducedRecordIsConsumedInOrderPerKey(TestServices services) throws Exception {
        Properties producerProps = services.kafkaProperties();
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        List<Future<?>> sends = new ArrayList<>();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                sends.add(producer.send(new ProducerRecord<>(services.topic(), "member-" + (i % KEYS), Integer.toString(i))));
            }
            producer.flush();
        }
        for (Future<?> send : sends) {
            send.get(); // a failed send fails the test rather than going unnoticed
        }

        Properties consumerProps = services.kafkaProperties();
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, List<Integer>> byKey = new HashMap<>();
        int received = 0;
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(services.topic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            assertThat(partitions).hasSize(TestServices.DEFAULT_PARTITIONS);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received < RECORDS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(Integer.parseInt(record.value()));
                    received++;
                }
            }
        }

        assertThat(received).isEqualTo(RECORDS);
        assertThat(byKey).hasSize(KEYS);
        for (int k = 0; k < KEYS; k++) {
            List<Integer> expected = new ArrayList<>();
            for (int i = k; i < RECORDS; i += KEYS) {
                expected.add(i);
            }
            assertThat(byKey.get("member-" + k)).as("values of member-%d in send order", k).isEqualTo(expected);
        }
    }
}
