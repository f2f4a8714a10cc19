package io.reslot.migrate.internal;

/** Keys in messages. */
public final class KeyText {

    private KeyText() {
    }

    /**
     * A key for a message, quoted: printable ASCII as it is, every other byte (and the quote and backslash) as
     * {@code \xNN}, so that a binary key cannot garble a terminal or a log line.
     */
    public static String printable(byte[] key) {
        StringBuilder out = new StringBuilder(key.length + 2).append('\'');
        for (byte b : key) {
            int c = b & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') {
                out.append((char) c);
            } else {
                out.append(String.format("\\x%02x", c));
            }
        }
        return out.append('\'').toString();
    }
}
