package io.reslot.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FilterOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.reslot.migrate.MigrateErrorCode;
import io.reslot.migrate.MigrateException;
import io.reslot.rewrite.RewriteErrorCode;
import io.reslot.rewrite.RewriteException;
import io.reslot.sandbox.SandboxErrorCode;
import io.reslot.sandbox.SandboxException;
import io.reslot.versioning.VersioningErrorCode;
import io.reslot.versioning.VersioningException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;

/**
 * The {@code reslot} command: {@code reslot [global options] <command> [command options]}, as specified in
 * {@code CLI.md}.
 *
 * <p>Exit codes: 0 done, 1 failed (reported as one line on stderr; {@code -v} adds the stack trace) or a change not
 * confirmed, 2 bad input (unknown command or option, malformed argument or input line, bad connection options), 3
 * problems found, 4 the cluster's lock is held by another run, 130 interrupted (Ctrl-C). Results go to stdout, every
 * diagnostic to stderr, each starting with {@code reslot: }, also with {@code --json}.
 */
public final class Main {

    private static final int OUTPUT_BUFFER = 1 << 16;
    /** The options that may be given more than once, each time with another value. */
    private static final Set<String> REPEATABLE = Set.of(GlobalOptions.CLUSTER, RebalanceCommand.WEIGHT,
            Migrations.LOCATION);

    private Main() {
    }

    /**
     * Runs {@code reslot} on the process's standard streams and exits the JVM with the command's exit code.
     *
     * @param args the command line after {@code reslot}
     */
    public static void main(String[] args) {
        // Not System.out: that PrintStream flushes on every write and hides write errors. A console means stdin and
        // stdout are a terminal (Java 17 cannot ask about stderr alone): then so is stderr, short of 2>file.
        int code = run(args, System.in, new FileOutputStream(FileDescriptor.out), System.err, System.getenv(),
                System.console() != null);
        if (!StopOnSignal.signalled()) {
            System.exit(code);
        }
        // Otherwise the JVM is already exiting on Ctrl-C, with the signal's status, once this thread has ended:
        // System.exit would block for good.

    }

    /**
     * Runs {@code reslot} with {@code args} on the given streams and the process environment and returns the exit
     * code. Never exits the JVM; flushes {@code out} and {@code err} but closes neither.
     */
    static int run(String[] args, InputStream in, OutputStream out, OutputStream err) {
        return run(args, in, out, err, System.getenv());
    }

    /** As {@link #run(String[], InputStream, OutputStream, OutputStream)}, with {@code env} as the environment. */
    static int run(String[] args, InputStream in, OutputStream out, OutputStream err, Map<String, String> env) {
        return run(args, in, out, err, env, false);
    }

    /**
     * As {@link #run(String[], InputStream, OutputStream, OutputStream, Map)}; {@code errIsTerminal} says whether
     * stderr is a terminal, where progress is a bar instead of lines.
     */
    static int run(String[] args, InputStream in, OutputStream out, OutputStream err, Map<String, String> env,
            boolean errIsTerminal) {
        Stdout stdout = new Stdout(out);
        BufferedOutputStream buffered = new BufferedOutputStream(stdout, OUTPUT_BUFFER);
        PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8);
        Io io = new Io(in, buffered, errors, errIsTerminal);
        boolean verbose = verbose(args);
        int code;
        try {
            code = dispatch(args, io, env);
            buffered.flush();
        } catch (UsageException e) {
            code = fail(io, ExitCode.BAD_INPUT, oneLine(e.getMessage()), null); // it may echo a value's line break
        } catch (MigrateException e) {
            code = fail(io, exitCode(e.code()), oneLine(e.getMessage()), verbose ? e : null);
        } catch (RewriteException e) {
            code = fail(io, exitCode(e.code()), oneLine(e.getMessage()), verbose ? e : null);
        } catch (VersioningException e) {
            code = fail(io, exitCode(e.code()), oneLine(e.getMessage()), verbose ? e : null);
        } catch (SandboxException e) {
            code = fail(io, exitCode(e.code()), oneLine(e.getMessage()), verbose ? e : null);
        } catch (IOException | RuntimeException e) {
            // A reader that went away is not an error of ours: end quietly, as a Unix tool ended by SIGPIPE does.
            code = stdout.pipeClosed ? ExitCode.CLOSED_PIPE : fail(io, ExitCode.FAILED, describe(e), verbose ? e : null);
        }
        errors.flush();
        return code;
    }

    /** Whether {@code -v} comes before any {@code --}; known before parsing, which may itself fail. */
    private static boolean verbose(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("-" + GlobalOptions.VERBOSE)) {
                return true;
            }
        }
        return false;
    }

    /** The one mapping of engine error codes to exit codes. */
    static int exitCode(MigrateErrorCode code) {
        return switch (code) {
            case BAD_INPUT -> ExitCode.BAD_INPUT;
            case LOCKED -> ExitCode.LOCKED;
            case INTERRUPTED -> ExitCode.INTERRUPTED;
            case UNREACHABLE, PROTOCOL, AUTH, STOPPED, UNHEALTHY, PERMISSION -> ExitCode.FAILED;
        };
    }

    /** The one mapping of the rewriter's error codes to exit codes. */
    static int exitCode(RewriteErrorCode code) {
        return switch (code) {
            case BAD_RULES -> ExitCode.BAD_INPUT;
            case LOCKED -> ExitCode.LOCKED;
            case INTERRUPTED -> ExitCode.INTERRUPTED;
            case CONFLICT, KEY_BUSY, UNREACHABLE, STOPPED -> ExitCode.FAILED;
        };
    }

    /** The one mapping of the versioning error codes to exit codes. */
    static int exitCode(VersioningErrorCode code) {
        return switch (code) {
            case BAD_SCRIPT, DUPLICATE_VERSION, BAD_INPUT -> ExitCode.BAD_INPUT;
            case VALIDATION_FAILED -> ExitCode.PROBLEMS;
            case LOCKED -> ExitCode.LOCKED;
            case INTERRUPTED -> ExitCode.INTERRUPTED;
            case FAILED -> ExitCode.FAILED;
        };
    }

    /**
     * The one mapping of the sandbox's error codes to exit codes: all are failures, since every input the sandbox
     * takes is checked by the commands (as bad input) before it is given to it.
     */
    static int exitCode(SandboxErrorCode code) {
        return switch (code) {
            case BINARY_NOT_FOUND, BINARY_NOT_USABLE, BINARY_EXTRACTION_FAILED, PORT_IN_USE, NO_FREE_PORT,
                    NODE_START_FAILED, CLUSTER_NOT_READY, COMMAND_FAILED, SIGNAL_FAILED, IO_ERROR, TLS_UNSUPPORTED
                    -> ExitCode.FAILED;
        };
    }

    private static int dispatch(String[] args, Io io, Map<String, String> env) throws IOException {
        CommandLine global = parse(GlobalOptions.create(), args, true, "reslot --help");
        requireOnce(global);
        List<String> rest = global.getArgList();
        if (!rest.isEmpty() && rest.get(0).equals("--")) {
            rest = rest.subList(1, rest.size());
        } else if (!rest.isEmpty() && rest.get(0).startsWith("-") && rest.get(0).length() > 1) {
            // Parsing stopped at an option it does not know, not at the command name.
            throw unknownOption(rest.get(0), GlobalOptions.create(), "reslot --help");
        }
        if (global.hasOption(GlobalOptions.VERSION)) {
            return printVersion(io);
        }
        if (rest.isEmpty()) {
            if (global.hasOption(GlobalOptions.HELP)) {
                io.print(Help.tool(Commands.ALL));
                return ExitCode.OK;
            }
            throw new UsageException("no command given; see 'reslot --help'");
        }
        String name = rest.get(0);
        Optional<Command> found = Commands.named(name);
        if (found.isEmpty()) {
            throw new UsageException("unknown command '" + name + "'; " + Suggestion.didYouMean(name,
                    Commands.ALL.stream().map(Command::name).toList(), "'")
                    .orElse("see 'reslot --help' for the commands"));
        }
        Command command = found.get();
        String[] commandArgs = rest.subList(1, rest.size()).toArray(new String[0]);
        CommandLine line = parse(GlobalOptions.addTo(command.options()), commandArgs, false,
                "reslot " + name + " --help");
        requireOnce(line);
        boolean ownVersion = command.options().hasLongOption(GlobalOptions.VERSION); // baseline --version V
        if (ownVersion ? global.hasOption(GlobalOptions.VERSION) : GlobalOptions.given(GlobalOptions.VERSION, global,
                line)) {
            return printVersion(io);
        }
        if (GlobalOptions.given(GlobalOptions.HELP, global, line)) {
            io.print(Help.command(command));
            return ExitCode.OK;
        }
        return command.run(new Command.Invocation(line, GlobalOptions.read(global, line), env, io));
    }

    private static CommandLine parse(Options options, String[] args, boolean stopAtNonOption, String helpHint) {
        // No abbreviations: a script's "--he" must not change meaning when an option "--hex" is added.
        DefaultParser parser = DefaultParser.builder().setAllowPartialMatching(false).get();
        try {
            return parser.parse(options, args, stopAtNonOption);
        } catch (UnrecognizedOptionException e) {
            throw unknownOption(e.getOption(), options, helpHint);
        } catch (ParseException e) {
            throw new UsageException(e.getMessage() + "; see '" + helpHint + "'");
        }
    }

    /**
     * Refuses an option that takes one value and is given twice in one part of the command line ({@code --to a
     * --to b}): which one was meant is a guess. {@link #REPEATABLE} options add up instead.
     *
     * @throws UsageException naming the option
     */
    private static void requireOnce(CommandLine line) {
        Set<String> seen = new HashSet<>();
        for (Option option : line.getOptions()) {
            String name = option.getLongOpt() != null ? option.getLongOpt() : option.getOpt();
            if (option.hasArg() && !REPEATABLE.contains(name) && !seen.add(name)) {
                throw new UsageException("--" + name + " is given more than once; give it once");
            }
        }
    }

    /** {@code unknown option --slotz; did you mean --slots?}, or where to look when no option is near. */
    private static UsageException unknownOption(String given, Options options, String helpHint) {
        int equals = given.indexOf('=');
        // --slotz=3; and --password=SECRET must not echo the secret
        String option = equals < 0 ? given : given.substring(0, equals);
        List<String> names = new ArrayList<>();
        for (Option known : options.getOptions()) {
            if (known.getLongOpt() != null) {
                names.add("--" + known.getLongOpt());
            }
            if (known.getOpt() != null) {
                names.add("-" + known.getOpt());
            }
        }
        return new UsageException("unknown option " + option + "; " + Suggestion.didYouMean(option, names, "")
                .orElse("see '" + helpHint + "'"));
    }

    private static int printVersion(Io io) throws IOException {
        io.print("reslot " + Version.get() + "\n");
        return ExitCode.OK;
    }

    private static int fail(Io io, int code, String message, Throwable trace) {
        try {
            io.out().flush(); // what was printed before the failure is still valid output
        } catch (IOException ignored) {
            // stdout is gone (closed pipe); the message below is what matters
        }
        io.err().println("reslot: " + message);
        if (trace != null) {
            trace.printStackTrace(io.err());
        }
        return code;
    }

    /** The real stdout, noting whether a write failed because nobody reads the pipe any more. */
    private static final class Stdout extends FilterOutputStream {

        boolean pipeClosed;

        Stdout(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw noted(e);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw noted(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw noted(e);
            }
        }

        private IOException noted(IOException e) {
            // EPIPE has no exception type of its own; the JDK reports it with this message on Linux and macOS.
            pipeClosed |= "Broken pipe".equals(e.getMessage());
            return e;
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        String what = message == null || message.isBlank() ? e.getClass().getName() : message;
        return (e instanceof IOException ? "I/O error: " : "unexpected error: ") + oneLine(what);
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replace('\n', ' ').replace('\r', ' ');
    }
}
