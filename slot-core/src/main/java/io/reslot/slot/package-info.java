/**
 * Redis Cluster slot math: which of the 16384 hash slots a key lives in, and the tools built on that answer.
 *
 * <p>{@link io.reslot.slot.KeySlot} maps a key (bytes, buffer or string) to its slot, exactly as the server's
 * {@code CLUSTER KEYSLOT} does and without allocating. {@link io.reslot.slot.Crc16} is the checksum underneath and
 * {@link io.reslot.slot.HashTag} the rule that picks which bytes are hashed; {@link io.reslot.slot.SlotTags} goes the
 * other way, from a slot to a short tag that lands there. {@link io.reslot.slot.SlotRange} and
 * {@link io.reslot.slot.SlotSet} are the {@code 0-5460,6000} notation operators type, and
 * {@link io.reslot.slot.KeyGroups} splits a batch of keys by slot or by owning node, for pipelining per node.
 *
 * <p>Everything here is immutable or stateless and thread-safe, and the module has no dependencies.
 */
package io.reslot.slot;
