package io.reslot.cli;

import java.util.List;
import java.util.Locale;

import io.reslot.migrate.ClusterAccess;
import io.reslot.versioning.MigrationInfo;
import io.reslot.versioning.RedisVersioning;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** What the versioning commands ({@code migrate}, {@code info}, {@code validate}, {@code baseline}, {@code repair}) share. */
final class Migrations {

    static final String LOCATION = "location";
    static final String HELP = """
            --location DIR is a directory of V<version>__<description>.yaml|.yml|.json
            scripts (filesystem:DIR or classpath:PACKAGE work too; repeat it for
            several). Every script is read and checked before the cluster is touched:
            a bad one exits 2 naming its file, line and column. The history lives in
            the cluster ({reslot}:history), and commands that change it hold the
            cluster's lock.
            """;

    private Migrations() {
    }

    /** Adds {@code --location}. */
    static Options addTo(Options options) {
        return options.addOption(Option.builder().longOpt(LOCATION).hasArg().argName("DIR")
                .desc("where the migrations are: a directory, filesystem:DIR or classpath:PACKAGE; repeatable").get());
    }

    /**
     * A configuration with the cluster and the locations of the command line.
     *
     * @throws UsageException if no {@code --location} is given
     */
    static RedisVersioning.Configuration configure(Command.Invocation invocation, ClusterAccess access) {
        return configure(invocation).cluster(access);
    }

    /**
     * Reads the locations of the command line and parses every script, before any connection: a bad location or
     * script exits 2 naming it, whether or not the cluster answers.
     *
     * @throws UsageException if no {@code --location} is given
     * @throws io.reslot.versioning.VersioningException if a location or a script is bad
     */
    static void check(Command.Invocation invocation) {
        configure(invocation).check();
    }

    private static RedisVersioning.Configuration configure(Command.Invocation invocation) {
        String[] locations = invocation.line().getOptionValues(LOCATION);
        if (locations == null) {
            throw new UsageException("give --location DIR, the directory of the migrations");
        }
        return RedisVersioning.configure().locations(locations).lockLease(Moves.lockLease(invocation.env()));
    }

    /** Each item on a line of its own, indented by two spaces. */
    static String indented(List<String> items) {
        StringBuilder out = new StringBuilder();
        items.forEach(item -> out.append("  ").append(item).append('\n'));
        return out.toString();
    }

    /** The table of {@code info}, ending with a newline. */
    static String table(List<MigrationInfo> infos) {
        List<String> header = List.of("VERSION", "DESCRIPTION", "TYPE", "STATE", "INSTALLED ON", "STEPS DONE");
        List<List<String>> rows = infos.stream().map(i -> List.of(i.version().toString(), i.description(),
                i.type().name().toLowerCase(Locale.ROOT), i.state().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                i.installedOn() == null ? "-" : i.installedOn(), i.stepsDone() == 0 ? "-" : "" + i.stepsDone()))
                .toList();
        return TextTable.of(concat(header, rows));
    }

    private static List<List<String>> concat(List<String> header, List<List<String>> rows) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(header), rows.stream()).toList();
    }
}
