package io.reslot.versioning;

import java.util.List;
import java.util.Objects;
import java.util.SortedMap;

import io.reslot.migrate.MoverOptions;
import io.reslot.migrate.RebalanceOptions;
import io.reslot.rewrite.KeyMove.OnConflict;
import io.reslot.rewrite.RetagOptions.Mode;
import io.reslot.rewrite.Rules;
import io.reslot.slot.KeySlot;
import io.reslot.slot.SlotSet;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * One step of a migration: what one {@code reslot} command that changes the cluster would do, with the same options.
 * A script is a list of steps; a Java migration runs steps with {@link MigrationContext#run}. Every step is
 * idempotent (running it again after it is done changes nothing), so a migration that failed part way can be run
 * again.
 *
 * <p>Each step is an immutable record whose values are checked when it is made; a script that gives a value out of
 * range fails when it is read, before anything runs.
 */
public sealed interface Step {

    /** The step's name in a script, which is also the name of the command that does the same: {@code move-slots}. */
    String name();

    /** A step that moves slots between masters, and so takes the mover options. */
    sealed interface Moving extends Step {

        /** How the slots move: the mover options of the command ({@code max-pause}, {@code batch-keys}, ...). */
        MoverOptions mover();
    }

    /**
     * {@code reshard}: moves {@code slots} slots to the master {@code to}, from the masters {@code from}, or from every
     * other master when {@code from} is empty ({@code from: all}).
     *
     * @param to the master that receives the slots: a node id, a unique prefix of one, or {@code host:port}
     * @param slots how many slots to move, 1 to 16384
     * @param from the masters that give, in the same forms as {@code to}; empty for all
     * @param mover how the slots move
     */
    record Reshard(String to, int slots, List<String> from, MoverOptions mover) implements Moving {

        /**
         * @throws NullPointerException if an argument or an item of {@code from} is null
         * @throws IllegalArgumentException naming the value if {@code to} or an item of {@code from} is blank, or
         *     {@code slots} is not from 1 to 16384
         */
        public Reshard {
            requireNode(to, "to");
            requireArgument(slots >= 1 && slots <= KeySlot.SLOT_COUNT, "reshard: slots must be from 1 to %d, not %d",
                    KeySlot.SLOT_COUNT, slots);
            from = List.copyOf(from);
            from.forEach(node -> requireNode(node, "from"));
            Objects.requireNonNull(mover, "mover");
        }

        /** {@code slots} slots to {@code to} from every other master, with the default mover options. */
        public Reshard(String to, int slots) {
            this(to, slots, List.of(), MoverOptions.defaults());
        }

        @Override
        public String name() {
            return "reshard";
        }
    }

    /**
     * {@code move-slots}: moves exactly the slots {@code slots} to the master {@code to}, each from the master that
     * serves it.
     *
     * @param slots the slots to move, not empty
     * @param to the master that receives them: a node id, a unique prefix of one, or {@code host:port}
     * @param mover how the slots move
     */
    record MoveSlots(SlotSet slots, String to, MoverOptions mover) implements Moving {

        /**
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code slots} is empty or {@code to} is blank
         */
        public MoveSlots {
            requireArgument(!slots.isEmpty(), "move-slots: slots is empty; give at least one slot");
            requireNode(to, "to");
            Objects.requireNonNull(mover, "mover");
        }

        /** {@code slots} to {@code to}, with the default mover options. */
        public MoveSlots(SlotSet slots, String to) {
            this(slots, to, MoverOptions.defaults());
        }

        @Override
        public String name() {
            return "move-slots";
        }
    }

    /**
     * {@code rebalance}: evens out the slots among the masters by weight, as {@code reslot rebalance} does; see
     * {@link RebalanceOptions} for what each value means.
     *
     * @param weight master (node id, unique prefix or {@code host:port}) → weight of 0 or more; 1 for those not listed
     * @param threshold do nothing unless a master is more than this many percent away from its share
     * @param useEmptyMasters whether masters that serve no slots take part
     * @param mover how the slots move
     */
    record Rebalance(SortedMap<String, Double> weight, double threshold, boolean useEmptyMasters, MoverOptions mover)
            implements Moving {

        /**
         * @throws NullPointerException if an argument, a node or a weight is null
         * @throws IllegalArgumentException as {@link RebalanceOptions}: an empty node, a weight or threshold that
         *     is negative or not finite
         */
        public Rebalance {
            weight = new RebalanceOptions(weight, threshold, useEmptyMasters).weights();
            Objects.requireNonNull(mover, "mover");
        }

        /** The defaults of {@code reslot rebalance}: every weight 1, threshold 2 %, empty masters left out. */
        public Rebalance() {
            this(RebalanceOptions.defaults(), MoverOptions.defaults());
        }

        /** {@code options} moved with {@code mover}. */
        public Rebalance(RebalanceOptions options, MoverOptions mover) {
            this(options.weights(), options.thresholdPercent(), options.useEmptyMasters(), mover);
        }

        /** The weights, threshold and empty-masters choice, as the planner takes them. */
        public RebalanceOptions options() {
            return new RebalanceOptions(weight, threshold, useEmptyMasters);
        }

        @Override
        public String name() {
            return "rebalance";
        }
    }

    /**
     * {@code drain}: moves every slot off the master {@code node}.
     *
     * @param node the master to empty: a node id, a unique prefix of one, or {@code host:port}
     * @param mover how the slots move
     */
    record Drain(String node, MoverOptions mover) implements Moving {

        /**
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if {@code node} is blank
         */
        public Drain {
            requireNode(node, "node");
            Objects.requireNonNull(mover, "mover");
        }

        /** Empties {@code node} with the default mover options. */
        public Drain(String node) {
            this(node, MoverOptions.defaults());
        }

        @Override
        public String name() {
            return "drain";
        }
    }

    /**
     * {@code retag}: renames the keys the rules match, so that related keys share a slot, as {@code reslot retag}
     * does.
     *
     * <p>Two retags are equal when they have the same rules (as written), mode and conflict policy.
     *
     * @param rules the rules, checked
     * @param mode what is done to each key: move (the default), copy, cleanup or verify
     * @param onConflict what to do when a new name is taken: fail (the default), skip or replace
     */
    record Retag(Rules rules, Mode mode, OnConflict onConflict) implements Step {

        /** @throws NullPointerException if an argument is null */
        public Retag {
            Objects.requireNonNull(rules, "rules");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(onConflict, "onConflict");
        }

        /** {@code rules} in mode move, stopping on a conflict. */
        public Retag(Rules rules) {
            this(rules, Mode.MOVE, OnConflict.FAIL);
        }

        @Override
        public String name() {
            return "retag";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Retag other && rules.rules().equals(other.rules.rules()) && mode == other.mode
                    && onConflict == other.onConflict;
        }

        @Override
        public int hashCode() {
            return Objects.hash(rules.rules(), mode, onConflict);
        }
    }

    private static void requireNode(String node, String option) {
        Objects.requireNonNull(node, option);
        requireArgument(!node.isBlank(), "%s must be a node id, a unique prefix of one, or HOST:PORT, not \"%s\"",
                option, node);
    }
}
