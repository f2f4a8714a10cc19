package io.reslot.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.reslot.slot.KeySlot;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code reslot slot [--hex] [KEY...]}: the hash slot of each key, one line per key, {@code <slot>\t<key>}, the key
 * exactly as given. Keys come from the arguments or, when there are none, from stdin, one per line, as raw bytes.
 *
 * <p>Arguments are all checked before anything is printed, so a bad one leaves stdout empty. Stdin is streamed:
 * lines are printed as they are read, and a bad line stops the command with its line number, after the lines
 * before it.
 */
final class SlotCommand implements Command {

    private static final String HEX = "hex";

    /** Keys longer than this are cut short in error messages. */
    private static final int QUOTE_LIMIT = 64;

    @Override
    public String name() {
        return "slot";
    }

    @Override
    public String synopsis() {
        return "[--hex] [KEY...]";
    }

    @Override
    public String summary() {
        return "print the hash slot of each key";
    }

    @Override
    public List<String> examples() {
        return List.of(
                "reslot slot user:1000 '{user:1000}:cart'",
                "printf 'a\nb\n' | reslot slot --json");
    }

    @Override
    public String description() {
        return """
                Prints one line per key: its hash slot (0-16383), a tab, the key as given.
                Keys are the arguments (hashed as UTF-8); with none, they are read from stdin,
                one per line, LF or CRLF, each line's bytes being the key, so keys need not be
                text. An empty line is the empty key. Put keys that start with '-' after '--'.

                --json prints one array instead: {"slot":N,"key":"..."} for each key, or
                {"slot":N,"hex":"..."} with --hex and for stdin keys that are not UTF-8.

                Exit code 2 for an invalid hex key: arguments are all checked before anything
                is printed; from stdin, the lines before the bad one have been printed.
                When whoever reads stdout stops (| head), the command ends quietly with
                exit code 141, as a Unix tool ended by SIGPIPE does.
                """;
    }

    @Override
    public Options options() {
        return new Options().addOption(Option.builder().longOpt(HEX)
                .desc("each KEY or stdin line is the key's bytes in hex, e.g. 7573657200; printed as given")
                .get());
    }

    @Override
    public int run(Invocation invocation) throws IOException {
        boolean hex = invocation.line().hasOption(HEX);
        OutputStream out = invocation.io().out();
        KeyPrinter printer = invocation.json() ? new JsonPrinter(out, hex) : new TextPrinter(out);
        List<String> keys = invocation.line().getArgList();
        if (keys.isEmpty()) {
            printStdin(invocation.io(), hex, printer);
        } else {
            printArguments(keys, hex, printer);
        }
        return ExitCode.OK;
    }

    private static void printArguments(List<String> keys, boolean hex, KeyPrinter printer) throws IOException {
        byte[][] given = new byte[keys.size()][];
        int[] slots = new int[keys.size()];
        for (int i = 0; i < given.length; i++) {
            given[i] = keys.get(i).getBytes(StandardCharsets.UTF_8);
            if (hex) {
                byte[] key = new byte[given[i].length / 2];
                decode(given[i], 0, given[i].length, key, "argument " + (i + 1));
                slots[i] = KeySlot.of(key);
            } else {
                slots[i] = KeySlot.of(given[i]);
            }
        }
        printer.begin();
        for (int i = 0; i < given.length; i++) {
            printer.key(slots[i], given[i], 0, given[i].length);
        }
        printer.end();
    }

    private static void printStdin(Io io, boolean hex, KeyPrinter printer) throws IOException {
        LineReader lines = new LineReader(io.in());
        byte[] key = new byte[256];
        printer.begin();
        while (lines.next()) {
            byte[] line = lines.buffer();
            int off = lines.start();
            int len = lines.length();
            int slot;
            if (hex) {
                if (key.length < len / 2) {
                    key = new byte[Math.max(len / 2, key.length * 2)];
                }
                int n = decode(line, off, len, key, "line " + lines.number());
                slot = KeySlot.of(key, 0, n);
            } else {
                slot = KeySlot.of(line, off, len);
            }
            printer.key(slot, line, off, len);
        }
        printer.end();
    }

    private static int decode(byte[] text, int off, int len, byte[] dst, String where) {
        try {
            return Hex.decode(text, off, len, dst);
        } catch (IllegalArgumentException e) {
            throw new UsageException(where + ": invalid hex key '" + quote(text, off, len) + "': " + e.getMessage());
        }
    }

    /** Printable ASCII as is, other bytes as {@code \xNN}, cut at {@link #QUOTE_LIMIT} bytes. */
    private static String quote(byte[] bytes, int off, int len) {
        StringBuilder quoted = new StringBuilder();
        for (int i = 0; i < Math.min(len, QUOTE_LIMIT); i++) {
            int b = bytes[off + i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                quoted.append((char) b);
            } else {
                quoted.append(String.format("\\x%02x", b));
            }
        }
        return len > QUOTE_LIMIT ? quoted.append("...").toString() : quoted.toString();
    }

    /** Writes the decimal digits of {@code value} (0 or more) to {@code dst} at {@code at}; returns the end. */
    private static int writeDecimal(int value, byte[] dst, int at) {
        int digits = value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : 5;
        for (int i = at + digits - 1; i >= at; i--) {
            dst[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + digits;
    }

    /** Formats the output, text or JSON, one key at a time. */
    private interface KeyPrinter {

        void begin() throws IOException;

        /** Prints {@code slot} and the key as given, {@code given[off, off + len)}. */
        void key(int slot, byte[] given, int off, int len) throws IOException;

        void end() throws IOException;
    }

    /** {@code <slot>\t<key>\n}, the key's bytes unchanged. */
    private static final class TextPrinter implements KeyPrinter {

        private final OutputStream out;
        private byte[] line = new byte[256];

        TextPrinter(OutputStream out) {
            this.out = out;
        }

        @Override
        public void begin() {
        }

        @Override
        public void key(int slot, byte[] given, int off, int len) throws IOException {
            // One write per key: the output stream's per-call cost dominates for short keys.
            if (line.length < len + 7) {
                line = new byte[Math.max(len + 7, line.length * 2)];
            }
            int at = writeDecimal(slot, line, 0);
            line[at++] = '\t';
            System.arraycopy(given, off, line, at, len);
            at += len;
            line[at++] = '\n';
            out.write(line, 0, at);
        }

        @Override
        public void end() {
        }
    }

    /**
     * One JSON array on one line: {@code {"slot":N,"key":"..."}} per key, or {@code {"slot":N,"hex":"..."}} when the
     * keys are given in hex (as given) or a key is not valid UTF-8 (encoded here in lower-case hex), since a JSON
     * string cannot hold arbitrary bytes.
     */
    private static final class JsonPrinter implements KeyPrinter {

        private final OutputStream out;
        private final boolean hexInput;
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        private byte[] buffer = new byte[256];
        private boolean first = true;

        JsonPrinter(OutputStream out, boolean hexInput) {
            this.out = out;
            this.hexInput = hexInput;
        }

        @Override
        public void begin() throws IOException {
            out.write('[');
        }

        @Override
        public void key(int slot, byte[] given, int off, int len) throws IOException {
            // Worst case: every byte a six-byte JSON escape or hex-encoded (2 bytes), plus the frame.
            if (buffer.length < 6 * len + 32) {
                buffer = new byte[Math.max(6 * len + 32, buffer.length * 2)];
            }
            int at = 0;
            if (!first) {
                buffer[at++] = ',';
            }
            first = false;
            at = ascii("{\"slot\":", at);
            at = writeDecimal(slot, buffer, at);
            if (hexInput) {
                at = ascii(",\"hex\":\"", at);
                System.arraycopy(given, off, buffer, at, len);
                at += len;
            } else if (isUtf8(given, off, len)) {
                at = ascii(",\"key\":\"", at);
                at = escape(given, off, len, at);
            } else {
                at = ascii(",\"hex\":\"", at);
                at = Hex.encode(given, off, len, buffer, at);
            }
            at = ascii("\"}", at);
            out.write(buffer, 0, at);
        }

        @Override
        public void end() throws IOException {
            out.write(']');
            out.write('\n');
        }

        private boolean isUtf8(byte[] bytes, int off, int len) {
            try {
                utf8.decode(ByteBuffer.wrap(bytes, off, len));
                return true;
            } catch (CharacterCodingException e) {
                return false;
            }
        }

        /** Copies valid UTF-8 into a JSON string body: quote, backslash and control characters escaped. */
        private int escape(byte[] bytes, int off, int len, int at) {
            for (int i = off; i < off + len; i++) {
                byte b = bytes[i];
                if (b == '"' || b == '\\') {
                    buffer[at++] = '\\';
                    buffer[at++] = b;
                } else if (b >= 0 && b < 0x20) {
                    at = ascii(String.format("\\u%04x", b), at);
                } else {
                    buffer[at++] = b;
                }
            }
            return at;
        }

        private int ascii(String text, int at) {
            for (int i = 0; i < text.length(); i++) {
                buffer[at++] = (byte) text.charAt(i);
            }
            return at;
        }
    }
}
