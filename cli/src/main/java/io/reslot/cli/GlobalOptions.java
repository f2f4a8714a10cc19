package io.reslot.cli;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The global options of {@code CLI.md}. They are accepted both before the command name and among the command's
 * options. {@link #read(CommandLine, CommandLine)} collects them from both parts; {@link Connection} turns the
 * connection options into the engine's access options.
 */
final class GlobalOptions {

    static final String HELP = "help";
    static final String VERSION = "version";
    static final String JSON = "json";
    static final String VERBOSE = "v";
    static final String QUIET = "q";
    static final String YES = "yes";
    static final String CLUSTER = "cluster";
    static final String USER = "user";
    static final String PASSWORD_ENV = "password-env";
    static final String PASSWORD_FILE = "password-file";
    static final String TLS = "tls";
    static final String TLS_CA = "tls-ca";

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
                        .desc("one JSON document on stdout instead of text; a job's progress as JSON lines on "
                                + "stderr").get())
                .addOption(Option.builder(VERBOSE)
                        .desc("more output: the stack trace of an unexpected error; with --json, each slot's events "
                                + "among the progress lines").get())
                .addOption(Option.builder(QUIET)
                        .desc("less output: check prints nothing when the cluster is healthy; a job prints no "
                                + "progress").get())
                .addOption(Option.builder().longOpt(YES)
                        .desc("do not ask for confirmation before changing the cluster").get())
                .addOption(Option.builder("c").longOpt(CLUSTER).hasArg().argName("HOST:PORT")
                        .desc("a seed node, repeatable (or comma-separated); default " + Connection.DEFAULT_SEED
                                + ", or the list in $" + Connection.CLUSTER_ENV).get())
                .addOption(Option.builder().longOpt(USER).hasArg().argName("NAME")
                        .desc("the ACL user; needs a password").get())
                .addOption(Option.builder().longOpt(PASSWORD_ENV).hasArg().argName("VAR")
                        .desc("read the password from environment variable VAR").get())
                .addOption(Option.builder().longOpt(PASSWORD_FILE).hasArg().argName("FILE")
                        .desc("read the password from FILE (one trailing newline is dropped); without either, $"
                                + Connection.PASSWORD_ENV + " is used when set. Never a password on the command line")
                        .get())
                .addOption(Option.builder().longOpt(TLS)
                        .desc("connect to the nodes with TLS, trusting the JVM's trust store").get())
                .addOption(Option.builder().longOpt(TLS_CA).hasArg().argName("FILE")
                        .desc("connect with TLS, trusting the certificates in PEM file FILE (a CA, or the nodes' "
                                + "self-signed certificates); implies --tls").get());
    }

    /**
     * Adds the global options to {@code options} (a command's own) and returns it. A command may give a global
     * option's long name a meaning of its own after the command name: {@code baseline --version V}.
     */
    static Options addTo(Options options) {
        create().getOptions().stream().filter(o -> !options.hasLongOption(o.getLongOpt())).toList()
                .forEach(options::addOption);
        return options;
    }

    /** Whether {@code option} was given in either of the two parsed parts of the command line. */
    static boolean given(String option, CommandLine first, CommandLine second) {
        return first.hasOption(option) || second.hasOption(option);
    }

    /**
     * Collects the global options from the part before the command name ({@code first}) and the command's part
     * ({@code second}). A single-valued option given in both takes the later value; {@code --cluster} values add up.
     *
     * @throws UsageException if {@code -v} and {@code -q} are both given
     */
    static Given read(CommandLine first, CommandLine second) {
        boolean verbose = given(VERBOSE, first, second);
        boolean quiet = given(QUIET, first, second);
        if (verbose && quiet) {
            throw new UsageException("-v and -q contradict each other; give one of them");
        }
        List<String> clusters = new ArrayList<>();
        for (CommandLine part : List.of(first, second)) {
            String[] values = part.getOptionValues(CLUSTER);
            if (values != null) {
                clusters.addAll(List.of(values));
            }
        }
        return new Given(given(JSON, first, second), verbose, quiet, given(YES, first, second), clusters,
                last(USER, first, second), last(PASSWORD_ENV, first, second), last(PASSWORD_FILE, first, second),
                given(TLS, first, second), last(TLS_CA, first, second));
    }

    private static String last(String option, CommandLine first, CommandLine second) {
        return second.getOptionValue(option, first.getOptionValue(option));
    }

    /**
     * The global options as given, before any of them is checked against the environment or the file system.
     *
     * @param json {@code --json}
     * @param verbose {@code -v}
     * @param quiet {@code -q}
     * @param yes {@code --yes}
     * @param clusters every {@code --cluster} value, in order; empty when none was given
     * @param user {@code --user}, or {@code null}
     * @param passwordEnv {@code --password-env}, or {@code null}
     * @param passwordFile {@code --password-file}, or {@code null}
     * @param tls {@code --tls}
     * @param tlsCa {@code --tls-ca}, or {@code null}
     */
    record Given(boolean json, boolean verbose, boolean quiet, boolean yes, List<String> clusters, String user,
            String passwordEnv, String passwordFile, boolean tls, String tlsCa) {

        Given {
            clusters = List.copyOf(clusters);
        }
    }
}
