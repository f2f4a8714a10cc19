package io.reslot.rewrite;

import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.ScanArgs;

/**
 * One SCAN page's keys, sorted by what the rules decide for them: the keys to rename with their new names, and the
 * counts of those skipped. Shared by the retag run and its plan, so that both decide alike.
 *
 * @param from the keys to rename, in scan order
 * @param to their new names, in the same order
 * @param alreadyTagged keys that already carry the tag their new name would have
 * @param noTag keys whose new name would have no hash tag
 */
record Page(List<byte[]> from, List<byte[]> to, long alreadyTagged, long noTag) {

    private static final byte[] LEDGER_PREFIX = Ledger.PREFIX.getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    static Page sort(Rules rules, List<byte[]> keys) {
        List<byte[]> from = new ArrayList<>();
        List<byte[]> to = new ArrayList<>();
        long alreadyTagged = 0;
        long noTag = 0;
        for (byte[] key : keys) {
            if (isLedger(key)) {
                continue; // a retag's own record (it lives in the users' slots): never renamed, whatever the rules
            }
            Renaming renaming = rules.rename(key);
            switch (renaming.outcome()) {
                case NO_MATCH -> { }
                case ALREADY_TAGGED -> alreadyTagged++;
                case NO_TAG -> noTag++;
                case RENAMED -> {
                    from.add(key);
                    to.add(renaming.newName());
                }
                default -> throw new IllegalStateException(renaming.outcome().name());
            }
        }
        return new Page(from, to, alreadyTagged, noTag);
    }

    private static boolean isLedger(byte[] key) {
        if (key.length < LEDGER_PREFIX.length) {
            return false;
        }
        return java.util.Arrays.equals(key, 0, LEDGER_PREFIX.length, LEDGER_PREFIX, 0, LEDGER_PREFIX.length);
    }

    /** The SCAN arguments for {@code rules}: their common glob as {@code MATCH}, if they have one. */
    static ScanArgs scanArgs(Rules rules, RetagOptions options) {
        ScanArgs args = ScanArgs.Builder.limit(options.scanCount());
        if (rules.scanGlob() != null) {
            args.match(rules.scanGlob());
        }
        return args;
    }
}
