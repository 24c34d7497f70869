package io.nearline.operators.similars;

import io.nearline.operators.models.ArtifactStore;
import io.nearline.operators.models.BadArtifactException;
import io.nearline.operators.models.ModelArtifacts;
import io.nearline.schemas.similars.SimilarTitles;
import org.slf4j.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds one shard of every algorithm of a plan, in dependency order. A shard holds the titles whose id hashes
 * to it, so each title's blends are built from its own inputs' lists in the same task. For each algorithm the
 * shard file is looked up by the algorithm's result key first: if an earlier build with the same algorithm
 * version and input data stored it, it is read instead of computed (which also makes a retried task cheap);
 * otherwise it is computed and written. A failing algorithm fails alone, with its dependents.
 */
public final class ShardBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ShardBuilder.class);

    private final BuildPlan plan;
    private final Catalog catalog;
    private final CoWatch coWatch;
    private final URI output;
    private final int shards;
    private final Map<String, String> keys;
    private final Map<String, SimilarityScorer> scorers = new HashMap<>();
    private long titlesComputed;
    private long shardsReused;

    public ShardBuilder(BuildPlan plan, Catalog catalog, CoWatch coWatch, URI output, int shards) {
        this.plan = plan;
        this.catalog = catalog;
        this.coWatch = coWatch;
        this.output = output;
        this.shards = shards;
        this.keys = keys(plan, catalog, coWatch, shards);
    }

    /** Every algorithm's result key, in plan order. */
    public static Map<String, String> keys(BuildPlan plan, Catalog catalog, CoWatch coWatch, int shards) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (AlgorithmSpec spec : plan.ordered()) {
            Map<String, String> inputs = new HashMap<>();
            spec.blend().keySet().forEach(input -> inputs.put(input, keys.get(input)));
            keys.put(spec.name(), SimilarsFiles.resultKey(spec, catalog.fingerprint(), coWatch.fingerprint(), shards, inputs));
        }
        return keys;
    }

    public Map<String, String> keys() {
        return keys;
    }

    /** The titles of a shard, in id order. */
    public int[] titles(int shard) {
        List<Integer> titles = new ArrayList<>();
        for (int t = 0; t < catalog.size(); t++) {
            if (Math.floorMod(catalog.id(t).hashCode(), shards) == shard) {
                titles.add(t);
            }
        }
        return titles.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Builds one shard of every algorithm; each list built or read is also given to {@code lists} (for the
     * similars table).
     */
    public List<ShardOutcome> build(int shard, ArtifactStore store, Consumer<SimilarTitles> lists) {
        int[] titles = titles(shard);
        Map<String, SimilarList[]> results = new HashMap<>();
        List<ShardOutcome> outcomes = new ArrayList<>();
        for (AlgorithmSpec spec : plan.ordered()) {
            String key = keys.get(spec.name());
            URI uri = SimilarsFiles.shardUri(SimilarsFiles.resultFolder(output, spec, key), shard, shards);
            String missing = spec.blend().keySet().stream().filter(input -> !results.containsKey(input)).findFirst().orElse(null);
            if (missing != null) {
                outcomes.add(ShardOutcome.failed(spec, key, shard, "its input " + missing + " failed"));
                continue;
            }
            try {
                SimilarList[] built;
                ShardOutcome outcome;
                byte[] bytes;
                SimilarList[] stored = store.exists(uri) ? readStored(store, uri, titles) : null;
                if (stored != null) {
                    bytes = store.read(uri);
                    built = stored;
                    shardsReused++;
                    outcome = ShardOutcome.stored(spec, key, shard, ShardOutcome.Status.REUSED, uri.toString(),
                            ModelArtifacts.sha256(bytes), bytes.length, titles.length);
                } else {
                    built = compute(spec, titles, results);
                    bytes = SimilarsFiles.writeShard(records(spec, built));
                    store.write(uri, bytes);
                    outcome = ShardOutcome.stored(spec, key, shard, ShardOutcome.Status.BUILT, uri.toString(),
                            ModelArtifacts.sha256(bytes), bytes.length, titles.length);
                }
                results.put(spec.name(), built);
                records(spec, built).forEach(lists);
                outcomes.add(outcome);
            } catch (IOException e) {
                // The store failed even after the S3 client's retries: fail the task, so that Flink's restart
                // strategy runs it again (it rewrites the same bytes, and reuses what was already stored).
                throw new UncheckedIOException(e);
            } catch (SdkException e) {
                throw e;
            } catch (BadArtifactException | RuntimeException e) {
                // Wrong data or a bug in one algorithm: no retry helps, so only it and its dependents fail.
                LOG.warn("similars {} {}: shard {} of {} failed: {}", spec.name(), spec.version(), shard, shards, e.toString());
                outcomes.add(ShardOutcome.failed(spec, key, shard, e.toString()));
            }
        }
        return outcomes;
    }

    /** A stored shard's lists, or null (to build it again) when the file is damaged. */
    private SimilarList[] readStored(ArtifactStore store, URI uri, int[] titles) throws IOException, BadArtifactException {
        try {
            return parse(SimilarsFiles.readShard(store.read(uri), uri.toString()), titles, uri);
        } catch (BadArtifactException e) {
            LOG.warn("similars: {} is damaged ({}); building it again", uri, e.getMessage());
            return null;
        }
    }

    private SimilarList[] compute(AlgorithmSpec spec, int[] titles, Map<String, SimilarList[]> results) {
        SimilarityScorer scorer = scorers.computeIfAbsent(spec.name(), n -> new SimilarityScorer(spec, catalog, coWatch));
        SimilarList[] lists = new SimilarList[titles.length];
        for (int i = 0; i < titles.length; i++) {
            if (spec.isBlend()) {
                Map<String, SimilarList> inputs = new HashMap<>();
                for (String input : spec.blend().keySet()) {
                    inputs.put(input, results.get(input)[i]);
                }
                lists[i] = scorer.blend(titles[i], inputs);
            } else {
                lists[i] = scorer.score(titles[i]);
            }
        }
        titlesComputed += titles.length;
        return lists;
    }

    private List<SimilarTitles> records(AlgorithmSpec spec, SimilarList[] lists) {
        List<SimilarTitles> records = new ArrayList<>(lists.length);
        for (SimilarList list : lists) {
            List<String> ids = new ArrayList<>(list.size());
            List<Float> scores = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                ids.add(catalog.id(list.titles()[i]));
                scores.add(list.scores()[i]);
            }
            records.add(new SimilarTitles(spec.name(), spec.version(), catalog.id(list.title()), ids, scores));
        }
        return records;
    }

    /** A stored shard back as lists, checked against the titles this shard must hold. */
    private SimilarList[] parse(List<SimilarTitles> stored, int[] titles, URI uri) throws BadArtifactException {
        if (stored.size() != titles.length) {
            throw new BadArtifactException(BadArtifactException.Reason.TRUNCATED, uri + " holds " + stored.size()
                    + " titles, not " + titles.length);
        }
        SimilarList[] lists = new SimilarList[titles.length];
        for (int i = 0; i < titles.length; i++) {
            SimilarTitles record = stored.get(i);
            if (!record.getTitleId().equals(catalog.id(titles[i]))) {
                throw new BadArtifactException(BadArtifactException.Reason.UNREADABLE, uri + " has " + record.getTitleId()
                        + " where " + catalog.id(titles[i]) + " belongs");
            }
            int[] similar = new int[record.getTitles().size()];
            float[] scores = new float[similar.length];
            for (int j = 0; j < similar.length; j++) {
                similar[j] = catalog.index(record.getTitles().get(j));
                scores[j] = record.getScores().get(j);
            }
            lists[i] = new SimilarList(titles[i], similar, scores);
        }
        return lists;
    }

    /** Titles computed (not read back) by this builder so far. */
    public long titlesComputed() {
        return titlesComputed;
    }

    /** Shard files read back from earlier builds by this builder so far. */
    public long shardsReused() {
        return shardsReused;
    }
}
