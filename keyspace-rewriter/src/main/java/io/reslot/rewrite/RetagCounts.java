package io.reslot.rewrite;

/**
 * What a retag run has seen and done so far. Plain data, serialisable with Jackson.
 *
 * @param scanned keys the scans returned
 * @param matched keys a rule gave a new name
 * @param alreadyTagged keys skipped because they already carry the tag their new name would have
 * @param noTag keys skipped because their new name came out without a hash tag
 * @param moved keys copied to another slot under the new name and deleted under the old one
 * @param renamed keys renamed within their slot
 * @param alreadyDone keys found under the new name only (moved by an earlier run)
 * @param vanished keys deleted or expired before or while they were moved
 * @param skipped keys left because the new name was taken ({@code --on-conflict skip})
 */
public record RetagCounts(long scanned, long matched, long alreadyTagged, long noTag, long moved, long renamed,
        long alreadyDone, long vanished, long skipped) {

    /** Nothing yet. */
    public static final RetagCounts NONE = new RetagCounts(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** These counts and {@code other}'s added up. */
    public RetagCounts plus(RetagCounts other) {
        return new RetagCounts(scanned + other.scanned, matched + other.matched, alreadyTagged + other.alreadyTagged,
                noTag + other.noTag, moved + other.moved, renamed + other.renamed, alreadyDone + other.alreadyDone,
                vanished + other.vanished, skipped + other.skipped);
    }
}
