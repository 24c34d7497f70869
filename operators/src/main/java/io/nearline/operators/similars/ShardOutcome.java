package io.nearline.operators.similars;

/** What happened to one algorithm in one shard of a build (a Flink POJO: public fields, no-argument constructor). */
public class ShardOutcome {

    /** Built now, read back from an earlier build with the same key, or failed (with a message). */
    public enum Status { BUILT, REUSED, FAILED }

    public String algorithm;
    public String version;
    public String key;
    public int shard;
    public Status status;
    public String uri;
    public String sha256;
    public long sizeBytes;
    public int titles;
    public String message;

    public ShardOutcome() {}

    static ShardOutcome stored(AlgorithmSpec spec, String key, int shard, Status status, String uri, String sha256,
            long sizeBytes, int titles) {
        ShardOutcome outcome = new ShardOutcome();
        outcome.algorithm = spec.name();
        outcome.version = spec.version();
        outcome.key = key;
        outcome.shard = shard;
        outcome.status = status;
        outcome.uri = uri;
        outcome.sha256 = sha256;
        outcome.sizeBytes = sizeBytes;
        outcome.titles = titles;
        return outcome;
    }

    static ShardOutcome failed(AlgorithmSpec spec, String key, int shard, String message) {
        ShardOutcome outcome = stored(spec, key, shard, Status.FAILED, null, null, 0, 0);
        outcome.message = message;
        return outcome;
    }
}
