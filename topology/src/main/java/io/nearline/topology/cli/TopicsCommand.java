package io.nearline.topology.cli;

import io.nearline.cluster.KafkaTopics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code bin/nearline topics create|delete}: Kafka topics of a job, safe to repeat. */
@Command(name = "topics", mixinStandardHelpOptions = true, subcommands = {TopicsCommand.Create.class, TopicsCommand.Delete.class},
        description = "Kafka topics.")
final class TopicsCommand implements Runnable {

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "missing command: create or delete");
    }

    static final class Kafka {
        @Option(names = "--bootstrap-servers", description = "Kafka's host:port list (default: ${DEFAULT-VALUE}).")
        String bootstrapServers = "127.0.0.1:9092";

        @Option(names = "--property", description = "A Kafka client property such as security.protocol=SSL (repeatable).")
        Map<String, String> properties = Map.of();
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates the topics that do not exist yet.")
    static final class Create implements Callable<Integer> {

        @CommandLine.Mixin
        Kafka kafka = new Kafka();

        @Option(names = "--partitions", description = "Partitions of a new topic (default: ${DEFAULT-VALUE}).")
        int partitions = 4;

        @Option(names = "--replication-factor", description = "Replicas of a new topic (default: ${DEFAULT-VALUE}).")
        short replicationFactor = 1;

        @Parameters(arity = "1..*", description = "Topic names.")
        List<String> topics;

        @Override
        public Integer call() throws Exception {
            if (partitions < 1 || replicationFactor < 1) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--partitions and --replication-factor must be at least 1");
            }
            try (KafkaTopics admin = new KafkaTopics(kafka.bootstrapServers, kafka.properties)) {
                admin.createIfAbsent(topics, partitions, replicationFactor);
            }
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes the topics; missing ones are skipped.")
    static final class Delete implements Callable<Integer> {

        @CommandLine.Mixin
        Kafka kafka = new Kafka();

        @Parameters(arity = "1..*", description = "Topic names.")
        List<String> topics;

        @Override
        public Integer call() {
            try (KafkaTopics admin = new KafkaTopics(kafka.bootstrapServers, kafka.properties)) {
                admin.delete(topics);
            }
            return 0;
        }
    }
}
