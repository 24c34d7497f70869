package io.nearline.topology.train;

import io.nearline.operators.config.TrainOptions;
import io.nearline.operators.kafka.KafkaOptions;
import io.nearline.operators.members.Interaction;
import io.nearline.operators.members.MemberOptions;
import io.nearline.operators.members.Recommender;
import io.nearline.operators.models.ArtifactSource;
import io.nearline.operators.models.ArtifactStore;
import io.nearline.operators.models.BadArtifactException;
import io.nearline.operators.models.LocalArtifactStore;
import io.nearline.operators.models.ModelArtifact;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.operators.models.Publication;
import io.nearline.operators.neighbours.NeighbourOptions;
import io.nearline.operators.neighbours.TitleNeighbours;
import io.nearline.operators.models.ModelOptions;
import io.nearline.operators.models.S3ArtifactStore;
import io.nearline.operators.models.TrafficSplit;
import io.nearline.schemas.model.ArtifactDescriptor;
import io.nearline.schemas.model.ModelMetadata;
import io.nearline.operators.offline.Rated;
import io.nearline.topology.train.Records.Result;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs TrainJob and finishes its work in the client: assembles the artifact (title factors, Gram matrix,
 * popularity row), evaluates it and the active model on the same held-out members with the nearline
 * fold-in (the way members will be served), refuses a model that is worse by more than the allowed margin,
 * and otherwise writes the artifact and publishes its descriptor.
 */
public final class ModelTrainer {

    /** What happened, with the figures. {@code message} is the one-line summary. */
    public record Outcome(ModelArtifact model, double hr10, double popularityHr10, int evaluated, Double activeHr10,
            String activeVersion, boolean published, URI location, String message) {}

    private ModelTrainer() {}

    /** What becomes of a model that passes the evaluation gate. */
    public enum Release {
        /** Nothing: trained and evaluated only. */
        NONE,
        /** Its artifact is stored, for a rollout through a savepoint; running jobs are not told. */
        STORE,
        /** Its artifact is stored and its descriptor published: running jobs switch to it. */
        PUBLISH
    }

    public static Outcome train(StreamExecutionEnvironment env, Configuration config, DataStream<Rated> input, boolean publish)
            throws Exception {
        return train(env, config, input, publish ? Release.PUBLISH : Release.NONE);
    }

    public static Outcome train(StreamExecutionEnvironment env, Configuration config, DataStream<Rated> input, Release release)
            throws Exception {
        String name = config.get(ModelOptions.NAME);
        String version = config.getOptional(TrainOptions.VERSION)
                .orElse("v" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));
        List<Result> items = new ArrayList<>();
        List<Result> popularity = new ArrayList<>();
        List<Result> holdouts = new ArrayList<>();
        List<Result> neighbourLists = new ArrayList<>();
        long[] range = {0, 0};
        try (CloseableIterator<Result> results = TrainJob.build(env, config, input).executeAndCollect("train " + name + " " + version)) {
            while (results.hasNext()) {
                Result r = results.next();
                switch (r.kind) {
                    case Result.ITEM -> items.add(r);
                    case Result.POPULARITY -> popularity.add(r);
                    case Result.HOLDOUT -> holdouts.add(r);
                    case Result.NEIGHBOURS -> neighbourLists.add(r);
                    default -> range = r.times;
                }
            }
        }
        if (items.isEmpty()) {
            throw new IllegalArgumentException("no interactions to train on");
        }
        int rank = config.get(TrainOptions.RANK);
        items.sort(Comparator.comparing(r -> r.id));
        String[] ids = new String[items.size()];
        float[] factors = new float[items.size() * rank];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = items.get(i).id;
            System.arraycopy(items.get(i).vector, 0, factors, i * rank, rank);
        }
        List<String> popular = popularity.stream().filter(r -> r.count > 0)
                .sorted(Comparator.<Result>comparingLong(r -> r.count).reversed().thenComparing(r -> r.id))
                .limit(1000).map(r -> r.id).toList();
        Map<String, String> hyperparameters = Map.of(
                "rank", Integer.toString(rank),
                "lambda", Double.toString(config.get(TrainOptions.LAMBDA)),
                "alpha", Double.toString(config.get(TrainOptions.ALPHA)),
                "iterations", Integer.toString(config.get(TrainOptions.ITERATIONS)),
                "neighbours", NeighbourOptions.settings(config).toString());
        TitleNeighbours neighbours = neighbours(ids, neighbourLists);
        ModelArtifact model = ModelArtifacts.assemble(name, version, ids, factors, rank, hyperparameters,
                Instant.ofEpochMilli(range[0]), Instant.ofEpochMilli(range[1]), popular, Map.of(), neighbours);

        holdouts.sort(Comparator.comparingDouble((Result r) -> TrafficSplit.point(r.id, "holdout-order")));
        List<Result> sample = holdouts.subList(0, Math.min(holdouts.size(), config.get(TrainOptions.HOLDOUT_MAX_MEMBERS)));
        double hr10 = hitRate(model, sample, config);
        double popularityHr10 = popularityHitRate(model, sample);

        Optional<ArtifactDescriptor> activeDescriptor = Optional.empty();
        if (release != Release.NONE) {
            activeDescriptor = Publication.active(Publication.readAll(config.get(KafkaOptions.BOOTSTRAP_SERVERS),
                    config.get(ModelOptions.PUBLISHED_TOPIC), Publication.clientProperties(config)), name);
        }
        Double activeHr10 = null;
        String activeVersion = null;
        if (activeDescriptor.isPresent()) {
            ArtifactDescriptor d = activeDescriptor.get();
            try {
                byte[] bytes = new ArtifactSource(config).read(URI.create(d.getUri()));
                ModelArtifact active = ModelArtifacts.read(bytes, d.getSizeBytes(), d.getSha256(), 0);
                activeHr10 = hitRate(active, sample, config);
                activeVersion = d.getVersion();
            } catch (BadArtifactException e) {
                activeVersion = null; // an unusable active model cannot block a good one
            }
        }

        Map<String, Double> evaluation = new HashMap<>();
        evaluation.put("hr10", hr10);
        evaluation.put("holdout_members", (double) sample.size());
        evaluation.put("hr10_popularity", popularityHr10);
        if (activeHr10 != null) {
            evaluation.put("hr10_active", activeHr10);
        }
        ModelMetadata metadata = ModelMetadata.newBuilder(model.metadata()).setEvaluation(evaluation).build();
        model = new ModelArtifact(metadata, ids, factors, neighbours);
        String figures = String.format(Locale.ROOT, "HR@10 %.4f on %d held-out members (popularity %.4f)", hr10, sample.size(),
                popularityHr10)
                + (activeHr10 == null ? "" : String.format(Locale.ROOT, " (active %s: %.4f)", activeVersion, activeHr10));

        double margin = config.get(TrainOptions.MAX_REGRESSION);
        if (activeHr10 != null && hr10 < activeHr10 - margin) {
            String message = String.format(Locale.ROOT, "refused %s %s: HR@10 %.4f is below the active %s's %.4f by more than %.4f",
                    name, version, hr10, activeVersion, activeHr10, margin);
            return new Outcome(model, hr10, popularityHr10, sample.size(), activeHr10, activeVersion, false, null, message);
        }
        if (release == Release.NONE) {
            return new Outcome(model, hr10, popularityHr10, sample.size(), activeHr10, activeVersion, false, null,
                    "trained " + name + " " + version + ", not published: " + figures);
        }
        byte[] bytes = ModelArtifacts.write(model);
        URI location = URI.create(config.get(TrainOptions.MODELS_PATH).replaceAll("/+$", "") + "/" + name + "/" + version + ".avro");
        try (ArtifactStore store = "file".equals(location.getScheme()) ? new LocalArtifactStore() : S3ArtifactStore.from(config)) {
            store.write(location, bytes);
        }
        if (release == Release.STORE) {
            return new Outcome(model, hr10, popularityHr10, sample.size(), activeHr10, activeVersion, false, location,
                    "stored " + name + " " + version + " at " + location + ", not published (roll it out with bin/nearline "
                            + "savepoint rollout --model " + location + "): " + figures);
        }
        ArtifactDescriptor descriptor = Publication.describe(model, bytes, location.toString(), 1.0);
        Publication.announce(descriptor, config.get(KafkaOptions.BOOTSTRAP_SERVERS), config.get(ModelOptions.PUBLISHED_TOPIC),
                Publication.clientProperties(config));
        return new Outcome(model, hr10, popularityHr10, sample.size(), activeHr10, activeVersion, true, location,
                "published " + name + " " + version + " at " + location + ": " + figures);
    }

    /** HR@10 of the model's popularity row, without each member's seen titles. */
    static double popularityHitRate(ModelArtifact model, List<Result> holdouts) {
        if (holdouts.isEmpty()) {
            return 0;
        }
        int hits = 0;
        for (Result holdout : holdouts) {
            java.util.Set<String> seen = new java.util.HashSet<>(java.util.Arrays.asList(holdout.titles));
            hits += model.popular().stream().filter(t -> !seen.contains(t)).limit(10).anyMatch(holdout.heldOut::equals) ? 1 : 0;
        }
        return (double) hits / holdouts.size();
    }

    /** HR@10 of a model on held-out members, each folded in from its training interactions as nearline does. */
    /** The neighbour lists TrainJob returned, by the rows of {@code ids}; titles without a factor are left out. */
    private static TitleNeighbours neighbours(String[] ids, List<Result> lists) {
        if (lists.isEmpty()) {
            return TitleNeighbours.none();
        }
        Map<String, Integer> rows = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            rows.put(ids[i], i);
        }
        Map<Integer, Result> byRow = new HashMap<>();
        int total = 0;
        for (Result list : lists) {
            Integer row = rows.get(list.id);
            if (row != null) {
                byRow.put(row, list);
                total += list.titles.length;
            }
        }
        int[] offsets = new int[ids.length + 1];
        int[] neighbourRows = new int[total];
        float[] scores = new float[total];
        int n = 0;
        for (int row = 0; row < ids.length; row++) {
            Result list = byRow.get(row);
            if (list != null) {
                for (int i = 0; i < list.titles.length; i++) {
                    Integer neighbour = rows.get(list.titles[i]);
                    if (neighbour != null) {
                        neighbourRows[n] = neighbour;
                        scores[n++] = list.weights[i];
                    }
                }
            }
            offsets[row + 1] = n;
        }
        return new TitleNeighbours(offsets, java.util.Arrays.copyOf(neighbourRows, n), java.util.Arrays.copyOf(scores, n));
    }

    static double hitRate(ModelArtifact model, List<Result> holdouts, Configuration config) {
        if (holdouts.isEmpty()) {
            return 0;
        }
        Configuration tenTitles = new Configuration(config);
        tenTitles.set(MemberOptions.ROW_LENGTH, 10);
        tenTitles.set(MemberOptions.MIN_INTERACTIONS, 1);
        Recommender recommender = new Recommender(tenTitles);
        int hits = 0;
        for (Result holdout : holdouts) {
            List<Interaction> interactions = new ArrayList<>(holdout.titles.length);
            long newest = Long.MIN_VALUE;
            for (int i = 0; i < holdout.titles.length; i++) {
                interactions.add(new Interaction(holdout.titles[i], holdout.weights[i], holdout.times[i]));
                newest = Math.max(newest, holdout.times[i]);
            }
            if (recommender.recommend(model, interactions, newest, null).titles().contains(holdout.heldOut)) {
                hits++;
            }
        }
        return (double) hits / holdouts.size();
    }
}
