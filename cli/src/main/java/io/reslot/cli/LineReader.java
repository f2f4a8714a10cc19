package io.reslot.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines on {@code '\n'}, dropping one {@code '\r'} before it (CRLF input) and at the end
 * of input. Bytes are not decoded, so lines that are not UTF-8 come through unchanged. A last line without a line
 * end counts; an input ending in a line end has no empty line after it.
 *
 * <p>Reads in large blocks and hands out each line as a range of an internal buffer, valid until the next call to
 * {@link #next()}: no allocation per line. The buffer grows to hold the longest line.
 */
final class LineReader {

    private static final int INITIAL_BUFFER = 1 << 16;

    private final InputStream in;
    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int start;    // first byte not yet handed out
    private int scanned;  // bytes in [start, scanned) hold no '\n'
    private int end;      // end of the bytes read
    private boolean eof;

    private int lineStart;
    private int lineLength;
    private long number;

    LineReader(InputStream in) {
        this.in = in;
    }

    /**
     * Advances to the next line; returns false at the end of input.
     *
     * @throws IOException if reading fails
     */
    boolean next() throws IOException {
        while (true) {
            for (int i = scanned; i < end; i++) {
                if (buffer[i] == '\n') {
                    take(i);
                    start = i + 1;
                    scanned = start;
                    return true;
                }
            }
            scanned = end;
            if (eof) {
                if (start == end) {
                    return false;
                }
                take(end);
                start = end;
                return true;
            }
            fill();
        }
    }

    /** The buffer holding the current line; valid until the next call to {@link #next()}. */
    byte[] buffer() {
        return buffer;
    }

    /** Where the current line starts in {@link #buffer()}. */
    int start() {
        return lineStart;
    }

    /** The current line's length, without its line end. */
    int length() {
        return lineLength;
    }

    /** The current line's number, from 1. */
    long number() {
        return number;
    }

    private void take(int lineEnd) {
        int to = lineEnd > start && buffer[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        lineStart = start;
        lineLength = to - start;
        number++;
    }

    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            scanned -= start;
            start = 0;
        }
        if (end == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }
}
