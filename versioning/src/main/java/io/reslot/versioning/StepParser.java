package io.reslot.versioning;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import io.reslot.migrate.BusyKeyPolicy;
import io.reslot.migrate.MoverOptions;
import io.reslot.migrate.RebalanceOptions;
import io.reslot.rewrite.KeyMove.OnConflict;
import io.reslot.rewrite.RetagOptions.Mode;
import io.reslot.rewrite.RewriteException;
import io.reslot.rewrite.Rule;
import io.reslot.rewrite.Rules;
import io.reslot.slot.KeySlot;
import io.reslot.slot.SlotSet;
import io.reslot.versioning.ScriptNode.Entry;
import io.reslot.versioning.ScriptNode.Mapping;
import io.reslot.versioning.ScriptNode.Scalar;
import io.reslot.versioning.ScriptNode.Sequence;

/**
 * Turns the tree of a script into {@link Step}s, checking every name, type and range on the way, so that each
 * problem is reported at its place in the file with the names the user wrote.
 */
final class StepParser {

    private static final String STEPS = "steps";
    private static final List<String> MOVER = List.of("max-pause", "batch-keys", "parallel", "window", "timeout",
            "rate", "on-busy-key", "wait-replicas");
    private static final List<String> RULE = List.of("match", "regex", "to");
    /** Step name → its options, in the order of the help. */
    private static final Map<String, List<String>> OPTIONS = Map.of(
            "reshard", withMover("to", "slots", "from"),
            "move-slots", withMover("slots", "to"),
            "rebalance", withMover("weight", "threshold", "use-empty-masters"),
            "drain", withMover("node"),
            "retag", List.of("rules", "match", "regex", "to", "mode", "on-conflict"));
    private static final List<String> STEP_NAMES = List.of("reshard", "move-slots", "rebalance", "drain", "retag");
    private static final String NODE = "a node (a node id, a unique prefix of one, or HOST:PORT)";

    private final String fileName;

    StepParser(String fileName) {
        this.fileName = fileName;
    }

    /** The steps of a script whose whole content is {@code root}. */
    List<Step> steps(ScriptNode root) {
        if (!(root instanceof Mapping top)) {
            throw bad(root.at(), "the file must hold an object with a 'steps' list, not " + root.kind());
        }
        for (Entry entry : top.entries().values()) {
            if (!entry.key().equals(STEPS)) {
                throw bad(entry.at(), "unknown property '" + entry.key() + "'" + suggestion(entry.key(), List.of(STEPS))
                        + " (a script has one property, 'steps')");
            }
        }
        Entry steps = top.entries().get(STEPS);
        if (steps == null) {
            throw bad(top.at(), "there is no 'steps' list; the file must hold an object with a 'steps' list");
        }
        if (!(steps.value() instanceof Sequence list)) {
            throw bad(steps.value().at(), "'steps' must be a list of steps, not " + steps.value().kind());
        }
        if (list.items().isEmpty()) {
            throw bad(list.at(), "'steps' is empty; give at least one step");
        }
        List<Step> result = new ArrayList<>(list.items().size());
        for (int i = 0; i < list.items().size(); i++) {
            result.add(step(i + 1, list.items().get(i)));
        }
        return result;
    }

    private Step step(int number, ScriptNode item) {
        String shape = "; write it as '- <step>: {options}', where <step> is one of " + String.join(", ", STEP_NAMES);
        if (!(item instanceof Mapping mapping)) {
            throw bad(item.at(), "step " + number + " must be an object with one key, the step's name, not "
                    + item.kind() + shape);
        }
        if (mapping.entries().size() != 1) {
            throw bad(item.at(), "step " + number + " must be an object with one key, the step's name, not "
                    + mapping.entries().size() + " keys (" + String.join(", ", mapping.entries().keySet()) + ")"
                    + shape + "; each step is its own list item");
        }
        Entry entry = mapping.entries().values().iterator().next();
        String name = entry.key();
        List<String> valid = OPTIONS.get(name);
        if (valid == null) {
            throw bad(entry.at(), "unknown step '" + name + "'" + suggestion(name, STEP_NAMES) + " (valid: "
                    + String.join(", ", STEP_NAMES) + ")");
        }
        Options options = new Options(name, entry.at(), entry.value(), valid);
        return switch (name) {
            case "reshard" -> reshard(options);
            case "move-slots" -> moveSlots(options);
            case "rebalance" -> rebalance(options);
            case "drain" -> drain(options);
            default -> retag(options);
        };
    }

    private Step reshard(Options options) {
        String to = options.node("to");
        Long slots = options.whole("slots", 1, KeySlot.SLOT_COUNT);
        if (slots == null) {
            throw options.missing("slots", "how many slots to move, 1 to " + KeySlot.SLOT_COUNT);
        }
        List<String> from = from(options);
        MoverOptions mover = options.mover();
        return options.make(() -> new Step.Reshard(to, slots.intValue(), from, mover));
    }

    /** {@code from}: {@code all} (the default), a list of nodes, or nodes separated by commas as on the CLI. */
    private List<String> from(Options options) {
        ScriptNode value = options.value("from");
        if (value == null) {
            return List.of();
        }
        List<String> nodes = new ArrayList<>();
        if (value instanceof Scalar scalar && scalar.token() == JsonToken.VALUE_STRING) {
            if (scalar.text().strip().equals("all")) {
                return List.of();
            }
            nodes.addAll(List.of(scalar.text().split(",", -1)));
        } else if (value instanceof Sequence list) {
            for (ScriptNode item : list.items()) {
                if (!(item instanceof Scalar scalar) || scalar.token() != JsonToken.VALUE_STRING) {
                    throw options.wrongType("from", "a list of nodes in quotes", item);
                }
                nodes.add(scalar.text());
            }
        }
        if (nodes.isEmpty() || nodes.stream().anyMatch(node -> node.isBlank() || node.strip().equals("all"))) {
            throw options.wrongType("from", "'all' or a list of nodes (node ids, unique prefixes of them, or "
                    + "HOST:PORT) without empty items", value);
        }
        return nodes.stream().map(String::strip).toList();
    }

    private Step moveSlots(Options options) {
        ScriptNode value = options.value("slots");
        if (value == null) {
            throw options.missing("slots", "the slots to move, such as 0-999,2000");
        }
        SlotSet slots = slots(options, value);
        String to = options.node("to");
        MoverOptions mover = options.mover();
        return options.make(() -> new Step.MoveSlots(slots, to, mover));
    }

    /** {@code slots}: {@code 0-999,2000} as on the CLI, one slot as a number, or a list of either. */
    private SlotSet slots(Options options, ScriptNode value) {
        String expected = "slots and ranges such as 0-999,2000";
        List<ScriptNode> items = value instanceof Sequence list ? list.items() : List.of(value);
        StringBuilder text = new StringBuilder();
        for (ScriptNode item : items) {
            if (!(item instanceof Scalar scalar) || (scalar.token() != JsonToken.VALUE_STRING
                    && scalar.token() != JsonToken.VALUE_NUMBER_INT)) {
                throw options.wrongType("slots", expected, item);
            }
            text.append(text.length() == 0 ? "" : ",").append(scalar.text());
        }
        try {
            return SlotSet.parse(text.toString());
        } catch (IllegalArgumentException e) {
            throw options.bad(value.at(), e.getMessage() + "; give " + expected);
        }
    }

    private Step rebalance(Options options) {
        RebalanceOptions.Builder rebalance = RebalanceOptions.builder();
        ScriptNode weights = options.value("weight");
        if (weights != null) {
            if (!(weights instanceof Mapping mapping)) {
                throw options.wrongType("weight", "an object of node: weight, such as {127.0.0.1:7000: 2}", weights);
            }
            Map<String, Double> values = new TreeMap<>();
            for (Entry entry : mapping.entries().values()) {
                if (entry.key().isBlank()) {
                    throw options.bad(entry.at(), "'weight' names an empty node; give " + NODE);
                }
                double weight = options.decimal("the weight of " + entry.key().strip(), entry.value());
                if (values.put(entry.key().strip(), weight) != null) {
                    throw options.bad(entry.at(), "'weight' gives " + entry.key().strip() + " a weight twice");
                }
            }
            rebalance.weights(values);
        }
        ScriptNode threshold = options.value("threshold");
        if (threshold != null) {
            rebalance.thresholdPercent(options.decimal("'threshold'", threshold));
        }
        Boolean useEmptyMasters = options.bool("use-empty-masters");
        if (useEmptyMasters != null) {
            rebalance.useEmptyMasters(useEmptyMasters);
        }
        MoverOptions mover = options.mover();
        return options.make(() -> new Step.Rebalance(rebalance.build(), mover));
    }

    private Step drain(Options options) {
        String node = options.node("node");
        MoverOptions mover = options.mover();
        return options.make(() -> new Step.Drain(node, mover));
    }

    private Step retag(Options options) {
        boolean inline = options.has("match") || options.has("regex") || options.has("to");
        Rules rules;
        if (options.has("rules")) {
            if (inline) {
                throw options.bad(options.at, "give 'rules' or 'regex' and 'to' (and optionally 'match'), not both");
            }
            rules = rules(options);
        } else if (inline) {
            Rule rule = new Rule(options.text("match"), options.text("regex"), options.text("to"));
            rules = rules(options, List.of(rule), List.of(options.at));
        } else {
            throw options.bad(options.at, "give 'rules' (a list of {match, regex, to}), or 'regex' and 'to' (and "
                    + "optionally 'match')");
        }
        Mode mode = options.choice("mode", Mode.class, Mode.MOVE);
        OnConflict onConflict = options.choice("on-conflict", OnConflict.class, OnConflict.FAIL);
        return options.make(() -> new Step.Retag(rules, mode, onConflict));
    }

    /** {@code rules}: a list of {@code {match?, regex, to}} objects. */
    private Rules rules(Options step) {
        ScriptNode value = step.value("rules");
        String expected = "a list of rules, each {match, regex, to}";
        if (!(value instanceof Sequence list) || list.items().isEmpty()) {
            throw step.wrongType("rules", expected, value);
        }
        List<Rule> rules = new ArrayList<>();
        List<JsonLocation> positions = new ArrayList<>();
        for (ScriptNode item : list.items()) {
            if (!(item instanceof Mapping)) {
                throw step.bad(item.at(), "rule " + (rules.size() + 1) + " must be an object with 'regex', 'to' and "
                        + "optionally 'match', not " + item.kind());
            }
            Options rule = new Options("retag: rule " + (rules.size() + 1), item.at(), item, RULE);
            rules.add(new Rule(rule.text("match"), rule.text("regex"), rule.text("to")));
            positions.add(item.at());
        }
        return rules(step, rules, positions);
    }

    /** Checks each rule where it is, then the list. */
    private Rules rules(Options step, List<Rule> rules, List<JsonLocation> positions) {
        for (int i = 0; i < rules.size(); i++) {
            try {
                Rules.of(List.of(rules.get(i)));
            } catch (RewriteException e) {
                // Checked alone, a rule is "rule 1"; say which it is in the script.
                String reason = e.getMessage().replaceFirst("^rule 1:? ", "");
                String rule = positions.size() == 1 && !step.has("rules") ? "" : "rule " + (i + 1) + ": ";
                throw step.bad(positions.get(i), rule + reason);
            }
        }
        try {
            return Rules.of(rules);
        } catch (RewriteException e) {
            throw step.bad(step.at, e.getMessage());
        }
    }

    /** {@code '; did you mean 'to'?'} when a name is close to {@code given}, else empty. */
    static String suggestion(String given, Collection<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            int d = distance(given.toLowerCase(Locale.ROOT), name);
            if (d < bestDistance) {
                best = name;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(2, best.length() / 3) ? "; did you mean '" + best + "'?" : "";
    }

    /** The Levenshtein distance: how many characters to insert, delete or replace to turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int replace = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(replace, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private static List<String> withMover(String... options) {
        List<String> all = new ArrayList<>(List.of(options));
        all.addAll(MOVER);
        return List.copyOf(all);
    }

    private VersioningException bad(JsonLocation at, String reason) {
        return VersioningException.badScript(ScriptNode.where(fileName, at) + reason);
    }

    /** The options of one step (or one rule), read with the step's name and place in every message. */
    private final class Options {

        private final String step;
        private final JsonLocation at;
        private final Map<String, Entry> entries;

        /**
         * @param value the step's options: an object, or null for none
         * @param valid the option names the step has
         */
        Options(String step, JsonLocation at, ScriptNode value, List<String> valid) {
            this.step = step;
            this.at = at;
            if (value instanceof Mapping mapping) {
                entries = mapping.entries();
            } else if (value instanceof Scalar scalar && scalar.token() == JsonToken.VALUE_NULL) {
                entries = Map.of();
            } else {
                throw bad(value.at(), "the options must be an object, such as '" + valid.get(0) + ": ...', not "
                        + value.kind());
            }
            for (Entry entry : entries.values()) {
                if (!valid.contains(entry.key())) {
                    throw bad(entry.at(), "unknown option '" + entry.key() + "'" + suggestion(entry.key(), valid)
                            + " (valid: " + String.join(", ", valid) + ")");
                }
            }
        }

        boolean has(String option) {
            return entries.containsKey(option);
        }

        /** The value of {@code option}, or null when it is not given. */
        ScriptNode value(String option) {
            Entry entry = entries.get(option);
            return entry == null ? null : entry.value();
        }

        /** A node reference, which the step cannot do without. */
        String node(String option) {
            ScriptNode value = value(option);
            if (value == null) {
                throw missing(option, NODE);
            }
            if (!(value instanceof Scalar scalar) || scalar.token() != JsonToken.VALUE_STRING) {
                throw wrongType(option, NODE + " in quotes", value);
            }
            if (scalar.text().isBlank()) {
                throw bad(value.at(), "'" + option + "' is blank; give " + NODE);
            }
            return scalar.text().strip();
        }

        /** A string, or null when the option is not given or null. */
        String text(String option) {
            ScriptNode value = value(option);
            if (value == null || value instanceof Scalar s && s.token() == JsonToken.VALUE_NULL) {
                return null;
            }
            if (!(value instanceof Scalar scalar) || scalar.token() != JsonToken.VALUE_STRING) {
                throw wrongType(option, "a string; put it in quotes", value);
            }
            return scalar.text();
        }

        /** A whole number from {@code min} to {@code max}, or null when the option is not given. */
        Long whole(String option, long min, long max) {
            ScriptNode value = value(option);
            if (value == null) {
                return null;
            }
            String expected = "a whole number " + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE
                    ? "of " + min + " or more" : "from " + min + " to " + max);
            if (value instanceof Scalar scalar && scalar.number() instanceof BigInteger n
                    && n.compareTo(BigInteger.valueOf(min)) >= 0 && n.compareTo(BigInteger.valueOf(max)) <= 0) {
                return n.longValueExact();
            }
            throw wrongType(option, expected, value);
        }

        /** A finite number of 0 or more: a weight or a percentage; {@code subject} says which, for messages. */
        double decimal(String subject, ScriptNode value) {
            if (value instanceof Scalar scalar && scalar.number() != null) {
                double d = new BigDecimal(scalar.number().toString()).doubleValue();
                if (d >= 0 && Double.isFinite(d)) {
                    return d;
                }
            }
            throw mismatch(subject, "a number of 0 or more", value);
        }

        /** {@code true} or {@code false}, or null when the option is not given. */
        Boolean bool(String option) {
            ScriptNode value = value(option);
            if (value == null) {
                return null;
            }
            if (value instanceof Scalar scalar && (scalar.token() == JsonToken.VALUE_TRUE
                    || scalar.token() == JsonToken.VALUE_FALSE)) {
                return scalar.token() == JsonToken.VALUE_TRUE;
            }
            throw wrongType(option, "true or false", value);
        }

        /** One of the constants of {@code type}, written in any case with {@code -} for {@code _}; else the default. */
        <E extends Enum<E>> E choice(String option, Class<E> type, E otherwise) {
            ScriptNode value = value(option);
            if (value == null) {
                return otherwise;
            }
            List<String> names = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                names.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            if (value instanceof Scalar scalar && scalar.token() == JsonToken.VALUE_STRING) {
                int index = names.indexOf(scalar.text().strip().toLowerCase(Locale.ROOT));
                if (index >= 0) {
                    return type.getEnumConstants()[index];
                }
                throw bad(value.at(), "'" + option + "' must be one of " + String.join(", ", names) + ", not '"
                        + scalar.text() + "'" + suggestion(scalar.text().strip(), names));
            }
            throw wrongType(option, "one of " + String.join(", ", names), value);
        }

        /** The mover options: the defaults, with those given in their place. */
        MoverOptions mover() {
            MoverOptions.Builder builder = MoverOptions.builder();
            Long n;
            if ((n = whole("max-pause", 1, Long.MAX_VALUE)) != null) {
                builder.maxPauseMillis(n);
            }
            if ((n = whole("batch-keys", 1, Integer.MAX_VALUE)) != null) {
                builder.batchKeys(n.intValue());
            }
            if ((n = whole("parallel", 1, Integer.MAX_VALUE)) != null) {
                builder.parallel(n.intValue());
            }
            if ((n = whole("window", 1, Integer.MAX_VALUE)) != null) {
                builder.window(n.intValue());
            }
            if ((n = whole("timeout", 1, Long.MAX_VALUE)) != null) {
                builder.timeoutMillis(n);
            }
            if ((n = whole("rate", 0, Long.MAX_VALUE)) != null) {
                builder.rate(n);
            }
            if ((n = whole("wait-replicas", 0, Integer.MAX_VALUE)) != null) {
                builder.waitReplicas(n.intValue());
            }
            builder.onBusyKey(choice("on-busy-key", BusyKeyPolicy.class, BusyKeyPolicy.COMPARE));
            return make(builder::build);
        }

        /** Makes a step (or options) whose values were checked, reporting a check that failed anyway at the step. */
        <T> T make(Supplier<T> make) {
            try {
                return make.get();
            } catch (IllegalArgumentException e) {
                throw bad(at, e.getMessage());
            }
        }

        VersioningException missing(String option, String what) {
            return bad(at, "'" + option + "' is missing; give " + what);
        }

        /** {@code 'option' must be <expected>, not <what was given>}, at the value. */
        VersioningException wrongType(String option, String expected, ScriptNode value) {
            return mismatch("'" + option + "'", expected, value);
        }

        /** {@code <subject> must be <expected>, not <what was given>}, at the value. */
        VersioningException mismatch(String subject, String expected, ScriptNode value) {
            String given;
            if (value instanceof Scalar scalar && scalar.token() == JsonToken.VALUE_STRING) {
                given = "the string '" + scalar.text() + "'";
            } else if (value instanceof Scalar scalar && (scalar.token() == JsonToken.VALUE_NUMBER_INT
                    || scalar.token() == JsonToken.VALUE_NUMBER_FLOAT)) {
                given = scalar.text();
            } else {
                given = value.kind();
            }
            boolean quoted = value instanceof Scalar scalar && scalar.token() == JsonToken.VALUE_STRING
                    && scalar.text().strip().matches("-?[0-9]+(\\.[0-9]+)?|true|false");
            return bad(value.at(), subject + " must be " + expected + ", not " + given
                    + (quoted ? "; write it without quotes" : ""));
        }

        VersioningException bad(JsonLocation where, String reason) {
            return StepParser.this.bad(where, step + ": " + reason);
        }
    }
}
