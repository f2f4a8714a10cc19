package io.reslot.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The text of {@code reslot --help} and {@code reslot <command> --help}. Options are listed sorted by name, two
 * columns, descriptions wrapped to fit 80 columns.
 */
final class Help {

    private static final int WIDTH = 80;

    private Help() {
    }

    /** The tool's help: usage line, command list, global options. */
    static String tool(List<Command> commands) {
        StringBuilder text = new StringBuilder()
                .append("usage: reslot [global options] <command> [command options]\n\n")
                .append("Redis Cluster key placement toolkit.\n\n")
                .append("Commands:\n");
        int width = commands.stream().mapToInt(c -> c.name().length()).max().orElse(0);
        for (Command command : commands) {
            appendColumns(text, command.name(), width, command.summary());
        }
        text.append("\nGlobal options:\n");
        appendOptions(text, GlobalOptions.create());
        return text.append("\nExit codes: 0 done, 1 failed (or a change not confirmed), 2 bad input, 3 problems\n"
                + "found (check), 4 the cluster is locked by another run, 130 interrupted (Ctrl-C).\n")
                .append("\nRun 'reslot <command> --help' for the options of a command.\n").toString();
    }

    /** A command's help: usage line, description, its options, the global options, then examples. */
    static String command(Command command) {
        StringBuilder text = new StringBuilder()
                .append("usage: reslot [global options] ").append(command.name()).append(' ')
                .append(command.synopsis()).append("\n\n")
                .append(command.description());
        Options options = command.options();
        if (!options.getOptions().isEmpty()) {
            text.append("\nOptions:\n");
            appendOptions(text, options);
        }
        text.append("\nGlobal options:\n");
        appendOptions(text, GlobalOptions.create());
        text.append("\nExample").append(command.examples().size() == 1 ? "" : "s").append(":\n");
        command.examples().forEach(example -> text.append("  ").append(example).append('\n'));
        return text.toString();
    }

    private static void appendOptions(StringBuilder text, Options options) {
        List<Option> sorted = new ArrayList<>(options.getOptions());
        sorted.sort(Comparator.comparing(Help::sortKey, String.CASE_INSENSITIVE_ORDER));
        List<String> labels = new ArrayList<>();
        for (Option option : sorted) {
            labels.add(label(option));
        }
        int width = labels.stream().mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < sorted.size(); i++) {
            appendColumns(text, labels.get(i), width, sorted.get(i).getDescription());
        }
    }

    private static String sortKey(Option option) {
        return option.getLongOpt() != null ? option.getLongOpt() : option.getOpt();
    }

    /** {@code -h, --help}, {@code     --json}, {@code -c, --cluster HOST:PORT}. */
    private static String label(Option option) {
        StringBuilder label = new StringBuilder();
        label.append(option.getOpt() != null ? "-" + option.getOpt() : "  ");
        if (option.getLongOpt() != null) {
            label.append(option.getOpt() != null ? ", " : "  ").append("--").append(option.getLongOpt());
        }
        if (option.hasArg()) {
            label.append(' ').append(option.getArgName() != null ? option.getArgName() : "ARG");
        }
        return label.toString();
    }

    /** Two spaces, {@code left} padded to {@code width}, two spaces, {@code right} word-wrapped under itself. */
    private static void appendColumns(StringBuilder text, String left, int width, String right) {
        int indent = 2 + width + 2;
        text.append("  ").append(left).append(" ".repeat(width - left.length() + 2));
        int column = indent;
        boolean first = true;
        for (String word : right.split(" ")) {
            if (!first && column + 1 + word.length() > WIDTH) {
                text.append('\n').append(" ".repeat(indent));
                column = indent;
                first = true;
            }
            if (!first) {
                text.append(' ');
                column++;
            }
            text.append(word);
            column += word.length();
            first = false;
        }
        text.append('\n');
    }
}
