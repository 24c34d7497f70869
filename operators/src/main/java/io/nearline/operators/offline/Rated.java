package io.nearline.operators.offline;

/**
 * One interaction of a member with a title, weighted as in nearline state: what the batch jobs and the savepoint
 * bootstrap read from offline data (a Flink POJO: public fields, no-argument constructor).
 */
public class Rated {
    public String member;
    public String title;
    public float weight;
    public long time;

    public Rated() {}

    public Rated(String member, String title, float weight, long time) {
        this.member = member;
        this.title = title;
        this.weight = weight;
        this.time = time;
    }
}
