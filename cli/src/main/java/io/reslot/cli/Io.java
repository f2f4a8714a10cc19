package io.reslot.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The streams a command works with: raw stdin, buffered stdout (flushed by {@code Main} when the command returns)
 * and stderr. Commands that emit keys write bytes to {@link #out()} so binary keys pass through unchanged; text
 * goes through {@link #print(CharSequence)} as UTF-8.
 */
final class Io {

    private final InputStream in;
    private final OutputStream out;
    private final PrintStream err;
    private final boolean errIsTerminal;

    /**
     * @param errIsTerminal whether a person watches stderr on a terminal: progress is then a bar redrawn in place
     */
    Io(InputStream in, OutputStream out, PrintStream err, boolean errIsTerminal) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.errIsTerminal = errIsTerminal;
    }

    /** Standard input, unbuffered: readers should read in large blocks. */
    InputStream in() {
        return in;
    }

    /** Standard output, buffered; write errors (a closed pipe) surface as {@link IOException}. */
    OutputStream out() {
        return out;
    }

    /** Standard error, for diagnostics and progress; never for results. */
    PrintStream err() {
        return err;
    }

    /** Whether stderr is a terminal, where progress is drawn as a bar rather than printed as lines. */
    boolean errIsTerminal() {
        return errIsTerminal;
    }

    /** Writes {@code text} to stdout as UTF-8. */
    void print(CharSequence text) throws IOException {
        out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
}
