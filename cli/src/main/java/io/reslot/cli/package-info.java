/**
 * The {@code reslot} command line.
 *
 * <p>{@link io.reslot.cli.Main} reads the global options, picks the command named by the first non-option argument
 * from the registry in {@code Commands}, parses that command's options together with the global ones (so
 * {@code reslot --json slot k} and {@code reslot slot --json k} mean the same), runs it and turns the outcome into
 * the exit codes of {@code CLI.md}: 0 done, 1 failed, 2 bad input, 3 problems found, 4 locked ({@code Main} maps
 * the engine's error codes to them in one place). Each command is one class implementing {@code Command}; adding
 * one is that class plus one line in {@code Commands}.
 *
 * <p>Commands that talk to a cluster get their {@code AccessOptions} from {@code Connection}, which reads the
 * connection options and the environment only when a command connects; passwords come from an environment
 * variable or a file, never from the command line.
 *
 * <p>Commands never touch {@code System.in/out/err} or call {@code System.exit}: they get their streams in an
 * {@code Io} and return an exit code, so tests run them in-process. Output that a script reads goes to stdout,
 * buffered and flushed once at the end; errors are one line on stderr starting with {@code reslot: }.
 *
 * <p>{@code demo} and {@code sandbox} start processes: sandbox clusters ({@code io.reslot.sandbox}). {@code demo}
 * stops its own, also on failure and Ctrl-C; its {@code Demo*} helpers load, summarise and verify the keys, and it
 * flushes stdout after each phase's line, since a run takes a while. {@code sandbox up} detaches its cluster and
 * records it in a {@code SandboxState} file, so that a later {@code sandbox down} stops exactly those processes
 * ({@code SandboxProcesses} checks that each pid still is its node's redis-server before signalling it).
 *
 * <p>Everything here except {@code Main} is package-private: the command line (names, options, output and exit
 * codes) is the compatibility surface, not these classes.
 */
package io.reslot.cli;
