package io.reslot.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.reslot.migrate.AccessOptions;
import io.reslot.migrate.ClusterAccess;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * One {@code reslot} command. Implementations are stateless, registered in {@link Commands}, and run once per
 * invocation with the parsed command line.
 */
interface Command {

    /** The name typed after {@code reslot}, e.g. {@code slot}. */
    String name();

    /** The arguments part of the usage line, e.g. {@code [--hex] [KEY...]}. */
    String synopsis();

    /** One lowercase line for the command list of {@code reslot --help}. */
    String summary();

    /** Paragraphs shown by {@code reslot <command> --help}, wrapped below 80 columns, ending with a newline. */
    String description();

    /**
     * Command lines that show how the command is used, each a line of its own with a {@code # comment} where it helps;
     * {@code reslot <command> --help} ends with them. Every command has at least one.
     */
    default List<String> examples() {
        return List.of();
    }

    /**
     * This command's own options, without the global ones; a new instance on every call (Commons CLI options are
     * mutable). Their names must not clash with {@link GlobalOptions}.
     */
    Options options();

    /**
     * Runs the command and returns its exit code.
     *
     * @throws UsageException on bad input; {@code Main} exits with {@link ExitCode#BAD_INPUT}
     * @throws IOException when a stream fails; {@code Main} exits with {@link ExitCode#FAILED}
     * @throws io.reslot.migrate.MigrateException from the engine; {@code Main} maps its code to an exit code
     */
    int run(Invocation invocation) throws IOException;

    /**
     * What a command gets to work with.
     *
     * @param line    the parsed command line: this command's and the global options, and the remaining arguments
     * @param globals the global options, from both parts of the command line
     * @param env     the process environment
     * @param io      the streams
     */
    record Invocation(CommandLine line, GlobalOptions.Given globals, Map<String, String> env, Io io) {

        /** {@code --json}: print one JSON document on stdout instead of text. */
        boolean json() {
            return globals.json();
        }

        /** {@code -v}: more output on stderr. */
        boolean verbose() {
            return globals.verbose();
        }

        /** {@code -q}: less output. */
        boolean quiet() {
            return globals.quiet();
        }

        /**
         * Where and how to connect, from the connection options and the environment.
         *
         * @throws UsageException if they are wrong; see {@link Connection#accessOptions}
         */
        AccessOptions accessOptions() {
            return Connection.accessOptions(globals, env);
        }

        /**
         * Connects to the cluster, applies {@code work} to it, closes the connections and returns the result.
         *
         * @throws UsageException as for {@link #accessOptions()}
         * @throws io.reslot.migrate.MigrateException if no seed answers, the credentials are refused, or
         *     {@code work} throws it
         */
        <T> T onCluster(Function<ClusterAccess, T> work) {
            try (ClusterAccess cluster = ClusterAccess.connect(accessOptions())) {
                return work.apply(cluster);
            }
        }

        /** Prints {@code report} as JSON with {@code --json}, else {@code text}. */
        void printReport(Object report, String text) throws IOException {
            if (json()) {
                Json.print(io, report);
            } else {
                io.print(text);
            }
        }

        /**
         * @throws UsageException naming the first argument if there are any
         */
        void requireNoArguments() {
            if (!line.getArgList().isEmpty()) {
                throw new UsageException("unexpected argument '" + line.getArgList().get(0) + "'; this command takes "
                        + "none");
            }
        }
    }
}
