package io.reslot.cli;

import java.io.IOException;

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
     * This command's own options, without the global ones; a new instance on every call (Commons CLI options are
     * mutable). Their names must not clash with {@link GlobalOptions}.
     */
    Options options();

    /**
     * Runs the command and returns its exit code.
     *
     * @throws UsageException on bad input; {@code Main} exits with {@link ExitCode#BAD_INPUT}
     * @throws IOException when a stream fails; {@code Main} exits with {@link ExitCode#FAILED}
     */
    int run(Invocation invocation) throws IOException;

    /**
     * What a command gets to work with.
     *
     * @param line    the parsed command line: this command's and the global options, and the remaining arguments
     * @param json    {@code --json}: print one JSON document on stdout instead of text
     * @param verbose {@code -v}: more output on stderr
     * @param io      the streams
     */
    record Invocation(CommandLine line, boolean json, boolean verbose, Io io) {
    }
}
