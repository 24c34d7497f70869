package io.nearline.topology.train;

/**
 * The records TrainJob passes between its stages (Flink POJOs: public fields, no-argument constructors). Its input,
 * {@link io.nearline.operators.offline.Rated}, is shared with the savepoint tools.
 */
public final class Records {

    private Records() {}

    /** A compacted (member, title) weight: a cell of the interaction matrix. */
    public static class Cell {
        public String member;
        public String title;
        public float weight;

        public Cell() {}

        public Cell(String member, String title, float weight) {
            this.member = member;
            this.title = title;
            this.weight = weight;
        }
    }

    /** A member's compacted interactions: titles and weights (decayed to the member's newest interaction). */
    public static class MemberRow {
        public String member;
        public String[] titles;
        public float[] weights;

        public MemberRow() {}

        public MemberRow(String member, String[] titles, float[] weights) {
            this.member = member;
            this.titles = titles;
            this.weights = weights;
        }
    }

    /** The factors of one member or title. */
    public static class Factor {
        public String id;
        public float[] vector;

        public Factor() {}

        public Factor(String id, float[] vector) {
            this.id = id;
            this.vector = vector;
        }
    }

    /**
     * What the member half sends to one partition of the title half: a member's factor with the member's titles
     * in that partition and their weights (once per partition, not once per title, as Spark's blocked ALS does);
     * or, when {@code gram} is set, one subtask's partial sum of the members' Gram matrix (lower triangle).
     */
    public static class Block {
        public int partition;
        public float[] vector;
        public String[] titles;
        public float[] weights;
        public double[] gram;

        public Block() {}

        static Block factor(int partition, float[] vector, String[] titles, float[] weights) {
            Block block = new Block();
            block.partition = partition;
            block.vector = vector;
            block.titles = titles;
            block.weights = weights;
            return block;
        }

        static Block gram(int partition, double[] gram) {
            Block block = new Block();
            block.partition = partition;
            block.gram = gram;
            return block;
        }
    }

    /** What the job hands back to the client that assembles, evaluates and publishes the model. */
    public static class Result {
        public static final String ITEM = "item";
        public static final String POPULARITY = "popularity";
        public static final String HOLDOUT = "holdout";
        /** A title's neighbours: their ids in {@code titles}, their scores in {@code weights}, best first. */
        public static final String NEIGHBOURS = "neighbours";

        public String kind;
        public String id;
        public float[] vector;
        public long count;
        /**
         * For a held-out member: the training interactions (titles, weights, times) and the held-out title. For a
         * title's neighbours: their ids and scores.
         */
        public String[] titles;
        public float[] weights;
        public long[] times;
        public String heldOut;

        public Result() {}

        public static Result item(Factor factor) {
            Result r = new Result();
            r.kind = ITEM;
            r.id = factor.id;
            r.vector = factor.vector;
            return r;
        }

        public static Result popularity(String title, long count) {
            Result r = new Result();
            r.kind = POPULARITY;
            r.id = title;
            r.count = count;
            return r;
        }
    }

    /** b's summed weight as a neighbour of a (see NeighbourTraining), with how many members watched b once known. */
    public static class TitlePair {
        public String a;
        public String b;
        public float sum;
        public long watchedB;

        public TitlePair() {}

        public TitlePair(String a, String b, float sum) {
            this.a = a;
            this.b = b;
            this.sum = sum;
        }
    }
}
