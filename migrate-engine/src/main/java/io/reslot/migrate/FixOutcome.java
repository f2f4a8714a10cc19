package io.reslot.migrate;

import java.util.List;

/**
 * What {@link ClusterFix#fix} did, and the cluster's health afterwards. Serialisable with Jackson.
 *
 * @param done the actions applied, in order (over every round)
 * @param after the check made after the last round
 */
public record FixOutcome(List<FixPlan.Action> done, CheckReport after) {

    /** @throws NullPointerException if an argument is null */
    public FixOutcome {
        done = List.copyOf(done);
        java.util.Objects.requireNonNull(after, "after");
    }
}
