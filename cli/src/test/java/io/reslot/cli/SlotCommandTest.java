package io.reslot.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import io.reslot.slot.KeySlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SlotCommandTest {

    @Test
    void printsSlotTabKeyForEachArgument() {
        Cli.Result result = Cli.run("slot", "user:{42}:cart", "foo", "");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo("8000\tuser:{42}:cart\n12182\tfoo\n0\t\n");
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void hashesNonAsciiArgumentsAsUtf8() {
        Cli.Result result = Cli.run("slot", "caf\u00e9");

        assertThat(result.stdout()).isEqualTo(KeySlot.of("caf\u00e9".getBytes(StandardCharsets.UTF_8)) + "\tcaf\u00e9\n");
    }

    @Test
    void takesKeysStartingWithDashAfterDoubleDash() {
        Cli.Result result = Cli.run("slot", "--", "-foo", "--hex");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo(KeySlot.of("-foo") + "\t-foo\n" + KeySlot.of("--hex") + "\t--hex\n");
    }

    @Test
    void readsKeysFromStdinWhenThereAreNoArguments() {
        Cli.Result result = Cli.runWithStdin("user:{42}:cart\nfoo\n", "slot");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo("8000\tuser:{42}:cart\n12182\tfoo\n");
    }

    @Test
    void dropsCarriageReturnsOfCrlfLines() {
        Cli.Result result = Cli.runWithStdin("user:{42}:cart\r\nfoo\r\n", "slot");

        assertThat(result.stdout()).isEqualTo("8000\tuser:{42}:cart\n12182\tfoo\n");
    }

    @Test
    void countsALastLineWithoutLineEnd() {
        Cli.Result result = Cli.runWithStdin("somekey\nfoo", "slot");

        assertThat(result.stdout()).isEqualTo("11058\tsomekey\n12182\tfoo\n");
    }

    @Test
    void treatsAnEmptyLineAsTheEmptyKey() {
        Cli.Result result = Cli.runWithStdin("foo\n\nfoo\n", "slot");

        assertThat(result.stdout()).isEqualTo("12182\tfoo\n0\t\n12182\tfoo\n");
    }

    @Test
    void printsNothingForEmptyStdin() {
        Cli.Result result = Cli.run(new byte[0], "slot");

        assertThat(result.exit()).isZero();
        assertThat(result.stdoutBytes()).isEmpty();
    }

    @Test
    void hashesStdinKeysByTheirBytesAndEchoesThemUnchanged() {
        byte[] key = {'k', (byte) 0xff, (byte) 0xc3, '{', (byte) 0x80, '}'};
        byte[] stdin = concat(key, new byte[] {'\n'});

        Cli.Result result = Cli.run(stdin, "slot");

        byte[] expected = concat((KeySlot.of(key) + "\t").getBytes(StandardCharsets.US_ASCII), stdin);
        assertThat(result.stdoutBytes()).isEqualTo(expected);
        assertThat(KeySlot.of(key)).isEqualTo(KeySlot.of(new byte[] {(byte) 0x80}));
    }

    @Test
    void streamsManyKeysAcrossBufferBoundaries() {
        StringBuilder stdin = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            String key = "user:" + i + (i % 3 == 0 ? ":{tag" + i % 97 + "}" : ":profile");
            stdin.append(key).append(i % 2 == 0 ? "\n" : "\r\n");
            expected.append(KeySlot.of(key)).append('\t').append(key).append('\n');
        }

        Cli.Result result = Cli.run(new OneByteAtATime(stdin.toString().getBytes(StandardCharsets.UTF_8)), "slot");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo(expected.toString());
    }

    @Test
    void readsKeysLongerThanTheReadBuffer() {
        String key = "x".repeat(200_000) + "{42}";

        Cli.Result result = Cli.runWithStdin("a\n" + key + "\nb\n", "slot");

        assertThat(result.stdout()).isEqualTo(
                KeySlot.of("a") + "\ta\n8000\t" + key + "\n" + KeySlot.of("b") + "\tb\n");
    }

    @Test
    void decodesHexArgumentsAndPrintsThemAsGiven() {
        Cli.Result result = Cli.run("slot", "--hex", "7573657200", "757365723A7B34327D3A63617274", "");

        byte[] user0 = {'u', 's', 'e', 'r', 0};
        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo(
                KeySlot.of(user0) + "\t7573657200\n8000\t757365723A7B34327D3A63617274\n0\t\n");
    }

    @Test
    void decodesHexLinesFromStdin() {
        Cli.Result result = Cli.runWithStdin("666f6f\r\n757365723a7b34327d3a63617274\n", "slot", "--hex");

        assertThat(result.stdout()).isEqualTo("12182\t666f6f\n8000\t757365723a7b34327d3a63617274\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"7g", "abc", "0x00", "66 6f"})
    void rejectsInvalidHexArgumentsBeforePrintingAnything(String bad) {
        Cli.Result result = Cli.run("slot", "--hex", "666f6f", bad);

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).startsWith("reslot: argument 2: invalid hex key '" + bad + "': ")
                .endsWith("\n").hasLineCount(1);
    }

    @Test
    void namesTheFirstNonHexCharacterAndOddLengths() {
        assertThat(Cli.run("slot", "--hex", "12z4").stderr()).contains("'z' at offset 2 is not a hex digit");
        assertThat(Cli.run("slot", "--hex", "123").stderr()).contains("odd number of hex digits (3)");
    }

    @Test
    void stopsAtTheFirstBadHexLineOfStdinNamingItsNumber() {
        Cli.Result result = Cli.runWithStdin("666f6f\n666f6f\nfoo\n666f6f\n", "slot", "--hex");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdout()).isEqualTo("12182\t666f6f\n12182\t666f6f\n");
        assertThat(result.stderr()).isEqualTo("reslot: line 3: invalid hex key 'foo': 'o' at offset 1 is not a hex digit\n");
    }

    @Test
    void escapesUnprintableBytesOfABadKeyInTheMessage() {
        Cli.Result result = Cli.run(new byte[] {'a', (byte) 0xff, '\t', '\n'}, "slot", "--hex");

        assertThat(result.stderr()).isEqualTo(
                "reslot: line 1: invalid hex key 'a\\xff\\x09': byte 0xff at offset 1 is not a hex digit\n");
    }

    @Test
    void printsOneJsonArrayForArguments() {
        Cli.Result result = Cli.run("--json", "slot", "user:{42}:cart", "q\"b\\s\tc");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo("[{\"slot\":8000,\"key\":\"user:{42}:cart\"},"
                + "{\"slot\":" + KeySlot.of("q\"b\\s\tc") + ",\"key\":\"q\\\"b\\\\s\\u0009c\"}]\n");
    }

    @Test
    void acceptsJsonAfterTheCommandName() {
        Cli.Result result = Cli.run("slot", "--json", "foo");

        assertThat(result.stdout()).isEqualTo("[{\"slot\":12182,\"key\":\"foo\"}]\n");
    }

    @Test
    void printsHexInJsonForHexInputAndForStdinKeysThatAreNotUtf8() {
        Cli.Result hex = Cli.runWithStdin("666F6F\n", "slot", "--json", "--hex");
        Cli.Result binary = Cli.run(new byte[] {'f', 'o', 'o', '\n', (byte) 0xc3, '(', '\n'}, "slot", "--json");

        assertThat(hex.stdout()).isEqualTo("[{\"slot\":12182,\"hex\":\"666F6F\"}]\n");
        assertThat(binary.stdout()).isEqualTo("[{\"slot\":12182,\"key\":\"foo\"},{\"slot\":"
                + KeySlot.of(new byte[] {(byte) 0xc3, '('}) + ",\"hex\":\"c328\"}]\n");
    }

    @Test
    void printsAnEmptyJsonArrayForNoKeys() {
        assertThat(Cli.run(new byte[0], "slot", "--json").stdout()).isEqualTo("[]\n");
    }

    @Test
    void rejectsUnknownOptions() {
        Cli.Result result = Cli.run("slot", "--hax", "foo");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
        assertThat(result.stderr()).isEqualTo("reslot: unknown option --hax; did you mean --hex?\n");
    }

    @Test
    void rejectsAbbreviatedOptions() {
        Cli.Result result = Cli.run("slot", "--he", "666f6f");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.stdoutBytes()).isEmpty();
    }

    @Test
    void printsItsHelpAndNoSlots() {
        Cli.Result result = Cli.run("slot", "--help", "foo");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).startsWith("usage: reslot [global options] slot [--hex] [KEY...]\n")
                .contains("--hex", "--json", "CRLF").doesNotContain("12182");
    }

    @Test
    void failsWithOneLineWhenStdinCannotBeRead() {
        Cli.Result result = Cli.run(new FailingStream(), "slot");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stderr()).isEqualTo("reslot: I/O error: disk on fire\n");
    }

    @Test
    void addsTheStackTraceWithVerbose() {
        Cli.Result result = Cli.run(new FailingStream(), "-v", "slot");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.stderr()).startsWith("reslot: I/O error: disk on fire\njava.io.IOException: disk on fire\n")
                .contains("at io.reslot.cli.LineReader");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** Returns at most one byte per read, as a slow pipe may. */
    private static final class OneByteAtATime extends InputStream {

        private final byte[] bytes;
        private int next;

        OneByteAtATime(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return next < bytes.length ? bytes[next++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int c = read();
            if (c < 0) {
                return -1;
            }
            b[off] = (byte) c;
            return 1;
        }
    }

    private static final class FailingStream extends InputStream {

        @Override
        public int read() throws IOException {
            throw new IOException("disk on fire");
        }
    }
}
