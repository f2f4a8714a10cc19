package io.reslot.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.reslot.migrate.MoverOptions;
import io.reslot.migrate.Planner;
import io.reslot.migrate.RebalanceOptions;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code reslot rebalance [--weight NODE=W]... [--threshold PCT] [--use-empty-masters]}: evens out slots. */
final class RebalanceCommand implements Command {

    static final String WEIGHT = "weight";
    private static final String THRESHOLD = "threshold";
    private static final String USE_EMPTY_MASTERS = "use-empty-masters";

    @Override
    public String name() {
        return "rebalance";
    }

    @Override
    public String synopsis() {
        return "[--weight NODE=W]... [--threshold PCT] [--use-empty-masters]";
    }

    @Override
    public String summary() {
        return "even out the slots among the masters, by weight";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot rebalance --use-empty-masters --dry-run",
                "reslot rebalance --weight 10.0.0.1:7000=2 --threshold 5 --rate 20000");
    }

    @Override
    public String description() {
        return """
                Evens out the slots among the masters that serve slots, as redis-cli
                --cluster rebalance does: each master's share is proportional to its weight
                (1 unless given with --weight; 0 empties a master), and nothing moves unless
                some master is more than --threshold percent away from its share. Masters
                that serve no slots take part with --use-empty-masters, or when given a
                weight. The fewest slots possible move.
                """ + Moves.HELP;
    }

    @Override
    public Options options() {
        return Moves.addTo(new Options()
                .addOption(Option.builder().longOpt(WEIGHT).hasArg().argName("NODE=W")
                        .desc("the weight of a master (a number of 0 or more); repeatable").get())
                .addOption(Option.builder().longOpt(THRESHOLD).hasArg().argName("PCT")
                        .desc("do nothing unless a master is more than PCT percent away from its share; default "
                                + RebalanceOptions.DEFAULT_THRESHOLD_PERCENT).get())
                .addOption(Option.builder().longOpt(USE_EMPTY_MASTERS)
                        .desc("masters that serve no slots take part, and receive slots").get()));
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        invocation.requireNoArguments();
        RebalanceOptions rebalance = rebalanceOptions(invocation.line());
        MoverOptions options = Moves.moverOptions(invocation.line(), MoverOptions.defaults());
        return Moves.run(invocation, name(), access ->
                Moves.newJob(access, Planner.rebalance(access.topology(), rebalance), options));
    }

    private static RebalanceOptions rebalanceOptions(CommandLine line) {
        RebalanceOptions.Builder builder = RebalanceOptions.builder()
                .useEmptyMasters(line.hasOption(USE_EMPTY_MASTERS));
        String[] weights = line.getOptionValues(WEIGHT);
        Set<String> named = new HashSet<>();
        for (String weight : weights == null ? new String[0] : weights) {
            int equals = weight.lastIndexOf('=');
            String node = equals < 0 ? "" : weight.substring(0, equals).strip();
            double value = equals < 0 ? Double.NaN : decimal(weight.substring(equals + 1));
            if (node.isEmpty() || !(value >= 0) || Double.isInfinite(value)) {
                throw new UsageException("--" + WEIGHT + " " + weight + ": give NODE=W with W a number of 0 or more, "
                        + "e.g. 10.0.0.1:7000=2");
            }
            if (!named.add(node)) {
                throw new UsageException("--" + WEIGHT + " " + weight + ": " + node + " is given a weight twice");
            }
            builder.weight(node, value);
        }
        if (line.hasOption(THRESHOLD)) {
            String text = line.getOptionValue(THRESHOLD);
            double threshold = decimal(text);
            if (!(threshold >= 0) || Double.isInfinite(threshold)) {
                throw new UsageException("--" + THRESHOLD + " " + text + ": give a percentage of 0 or more, e.g. 2.5");
            }
            builder.thresholdPercent(threshold);
        }
        return builder.build();
    }

    /** The decimal number {@code text}, or NaN when it is not one (also for Java's NaN, Infinity, 2f or 0x1p3). */
    private static double decimal(String text) {
        try {
            return new BigDecimal(text.strip()).doubleValue();
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
