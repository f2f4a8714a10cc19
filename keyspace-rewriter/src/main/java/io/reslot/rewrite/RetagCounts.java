package io.reslot.rewrite;

/**
 * What a retag run has seen and done so far. Plain data, serialisable with Jackson.
 *
 * @param scanned keys the first scan returned
 * @param matched keys a rule gives a new name
 * @param alreadyTagged keys skipped because they already carry the tag their new name would have
 * @param noTag keys skipped because their new name came out without a hash tag
 * @param moved {@code move}: keys copied to another slot under the new name and deleted under the old one
 * @param renamed {@code move}: keys renamed within their slot
 * @param copied {@code copy}: keys copied to the new name, the old one kept
 * @param cleaned {@code cleanup}: old keys deleted because their copy is identical
 * @param alreadyDone keys found under the new name only
 * @param vanished keys deleted or expired before or while they were handled
 * @param skipped keys left because the new name was taken by another key ({@code --on-conflict skip})
 * @param differs {@code cleanup}, {@code verify}: old keys whose copy differs (value or expiry)
 * @param notCopied {@code cleanup}, {@code verify}: old keys with no copy under the new name
 * @param leftOver {@code verify}: old keys whose copy is identical (what {@code cleanup} deletes)
 * @param left {@code move}: keys found again under their old name by the last check, with their new name taken:
 *     typically keys that clients still writing the old names created again after they moved
 */
public record RetagCounts(long scanned, long matched, long alreadyTagged, long noTag, long moved, long renamed,
        long copied, long cleaned, long alreadyDone, long vanished, long skipped, long differs, long notCopied,
        long leftOver, long left) {

    /** Nothing yet. */
    public static final RetagCounts NONE = new RetagCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** These counts and {@code other}'s added up. */
    public RetagCounts plus(RetagCounts o) {
        return new RetagCounts(scanned + o.scanned, matched + o.matched, alreadyTagged + o.alreadyTagged,
                noTag + o.noTag, moved + o.moved, renamed + o.renamed, copied + o.copied, cleaned + o.cleaned,
                alreadyDone + o.alreadyDone, vanished + o.vanished, skipped + o.skipped, differs + o.differs,
                notCopied + o.notCopied, leftOver + o.leftOver, left + o.left);
    }

    /** Keys this run gave their new name: moved to another slot or renamed within theirs. */
    public long done() {
        return moved + renamed;
    }
}
