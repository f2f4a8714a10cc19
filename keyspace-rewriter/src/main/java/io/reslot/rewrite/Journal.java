package io.reslot.rewrite;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a move writes before it starts on a page of keys: the page's old names, and where its {@link Ledger} is. It is
 * stored as one string ({@code {reslot}:retag:pending:<master id>}), deleted with the saving of the page's cursor;
 * a run started again finds it there when the one before stopped part way through the page.
 *
 * <p>The value is a header line, {@code #<page id> <slot>,<slot>,...\n} (the ledger's id and its slots), then each
 * name as its length in decimal, a colon and its bytes: one cheap write per page (a set of a thousand members costs
 * the node about a microsecond per member to build and to delete). A value without the header, as a reslot from
 * before the ledger wrote it, has names and no ledger.
 *
 * @param pageId the id of the page's ledger, {@code null} for none
 * @param slots the slots the ledger keeps its records in first (one per master), empty for none
 * @param names the page's old names, in the order their moves were sent
 */
record Journal(String pageId, List<Integer> slots, List<byte[]> names) {

    Journal {
        slots = List.copyOf(slots);
        names = List.copyOf(names);
    }

    /** This journal as stored. */
    byte[] encode() {
        StringBuilder header = new StringBuilder("#").append(pageId).append(' ');
        for (int i = 0; i < slots.size(); i++) {
            header.append(i == 0 ? "" : ",").append(slots.get(i));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.append('\n').toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(encodeNames(names));
        return out.toByteArray();
    }

    /**
     * The journal {@code value} holds; one with no names for {@code null} (no journal).
     *
     * @throws RewriteException {@link RewriteErrorCode#STOPPED} if the value is not a journal
     */
    static Journal decode(byte[] value) {
        if (value == null || value.length == 0 || value[0] != '#') {
            return new Journal(null, List.of(), decodeNames(value, 0));
        }
        int end = 0;
        while (end < value.length && value[end] != '\n') {
            end++;
        }
        String[] header = new String(value, 1, Math.max(0, end - 1), StandardCharsets.US_ASCII).split(" ", -1);
        List<Integer> slots = new ArrayList<>();
        try {
            if (end == value.length || header.length != 2 || header[0].isEmpty()) {
                throw new NumberFormatException(); // no end of line, or not "<id> <slots>"
            }
            for (String slot : header[1].isEmpty() ? new String[0] : header[1].split(",")) {
                slots.add(Integer.parseInt(slot));
            }
        } catch (NumberFormatException e) {
            throw damaged(0);
        }
        return new Journal(header[0], slots, decodeNames(value, end + 1));
    }

    /**
     * Names as one value: each as its length in decimal, a colon and its bytes. Written straight into one array: a
     * move encodes every page's names several times (its journal, and each script's record).
     */
    static byte[] encodeNames(List<byte[]> names) {
        int size = 0;
        for (byte[] name : names) {
            size += digits(name.length) + 1 + name.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (byte[] name : names) {
            int end = at + digits(name.length);
            for (int n = name.length, i = end - 1; i >= at; n /= 10, i--) {
                out[i] = (byte) ('0' + n % 10);
            }
            out[end] = ':';
            System.arraycopy(name, 0, out, end + 1, name.length);
            at = end + 1 + name.length;
        }
        return out;
    }

    private static int digits(int n) {
        int digits = 1;
        for (int rest = n / 10; rest > 0; rest /= 10) {
            digits++;
        }
        return digits;
    }

    /**
     * The names {@link #encodeNames} wrote, from byte {@code at} of {@code value}; none for {@code null}.
     *
     * @throws RewriteException {@link RewriteErrorCode#STOPPED} if they are not names so written
     */
    static List<byte[]> decodeNames(byte[] value, int at) {
        List<byte[]> names = new ArrayList<>();
        while (value != null && at < value.length) {
            int colon = at;
            while (colon < value.length && value[colon] >= '0' && value[colon] <= '9' && colon - at < 10) {
                colon++;
            }
            long length = colon > at && colon < value.length && value[colon] == ':'
                    ? Long.parseLong(new String(value, at, colon - at, StandardCharsets.US_ASCII)) : -1;
            if (length < 0 || length > value.length - colon - 1) {
                throw damaged(at);
            }
            names.add(Arrays.copyOfRange(value, colon + 1, colon + 1 + (int) length));
            at = colon + 1 + (int) length;
        }
        return names;
    }

    private static RewriteException damaged(int at) {
        return new RewriteException(RewriteErrorCode.STOPPED, "the retag's journal in " + Retag.STATE_KEY
                + ":pending:* (or its ledger, " + Ledger.PREFIX + "*) is damaged at byte " + at + "; delete "
                + Retag.STATE_KEY + " and its :pending:* keys and run the retag again (keys found under both names"
                + " are then conflicts)");
    }
}
