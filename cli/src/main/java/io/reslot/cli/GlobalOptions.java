package io.reslot.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The global options of {@code CLI.md} that are implemented so far. They are accepted both before the command name
 * and among the command's options. The connection options ({@code --cluster}, {@code --user}, {@code --password-*},
 * {@code --tls}), {@code --yes} and {@code -q} arrive with the first command that uses them.
 */
final class GlobalOptions {

    static final String HELP = "help";
    static final String VERSION = "version";
    static final String JSON = "json";
    static final String VERBOSE = "v";

    private GlobalOptions() {
    }

    /** A new set of the global options (Commons CLI options are mutable, so never shared). */
    static Options create() {
        return new Options()
                .addOption(Option.builder("h").longOpt(HELP)
                        .desc("help for the tool, or for the command it follows").get())
                .addOption(Option.builder().longOpt(VERSION)
                        .desc("print the version and exit").get())
                .addOption(Option.builder().longOpt(JSON)
                        .desc("one JSON document on stdout instead of text").get())
                .addOption(Option.builder(VERBOSE)
                        .desc("more output: the stack trace of an unexpected error").get());
    }

    /** Adds the global options to {@code options} (a command's own) and returns it. */
    static Options addTo(Options options) {
        create().getOptions().forEach(options::addOption);
        return options;
    }

    /** Whether {@code option} was given in either of the two parsed parts of the command line. */
    static boolean given(String option, CommandLine first, CommandLine second) {
        return first.hasOption(option) || second.hasOption(option);
    }
}
