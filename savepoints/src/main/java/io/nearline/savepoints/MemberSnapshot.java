package io.nearline.savepoints;

import io.nearline.operators.members.EmittedRow;
import io.nearline.operators.members.FactorState;
import io.nearline.operators.members.Interaction;
import io.nearline.operators.members.InteractionHistory;

import java.util.ArrayList;
import java.util.List;

/**
 * One member's state in NearlineJob's member operator, as the savepoint tools read and write it (a Flink POJO).
 * Any part but the member may be null: state that expired or was never written.
 */
public class MemberSnapshot {

    public String member;
    /** The compacted interactions (one per title). */
    public InteractionHistory history;
    /** Interactions appended since the member's last recompute, not yet compacted. */
    public Interaction[] recent;
    public FactorState factor;
    public EmittedRow lastEmitted;

    public MemberSnapshot() {}

    public MemberSnapshot(String member, InteractionHistory history, Interaction[] recent, FactorState factor,
            EmittedRow lastEmitted) {
        this.member = member;
        this.history = history;
        this.recent = recent;
        this.factor = factor;
        this.lastEmitted = lastEmitted;
    }

    /** Compacted and recent interactions together, uncompacted. */
    public List<Interaction> allInteractions() {
        List<Interaction> all = new ArrayList<>();
        if (history != null) {
            all.addAll(history.toList());
        }
        if (recent != null) {
            all.addAll(List.of(recent));
        }
        return all;
    }
}
