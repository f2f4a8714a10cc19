package io.reslot.slot;

import java.nio.charset.StandardCharsets;

/**
 * The slot function written the plain way, as a yardstick for the tuned one: a bit-by-bit CRC (no tables) and a
 * literal reading of the cluster spec's {@code keyHashSlot}.
 */
final class ReferenceSlot {

    private ReferenceSlot() {
    }

    static int crc16(byte[] data, int off, int len) {
        int crc = 0;
        for (int i = off; i < off + len; i++) {
            crc ^= (data[i] & 0xFF) << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
                crc &= 0xFFFF;
            }
        }
        return crc;
    }

    /** {@code keyHashSlot} from the Redis Cluster specification, transcribed. */
    static int slot(byte[] key) {
        int keylen = key.length;
        int s;
        int e;
        for (s = 0; s < keylen; s++) {
            if (key[s] == '{') {
                break;
            }
        }
        if (s == keylen) {
            return crc16(key, 0, keylen) & 16383;
        }
        for (e = s + 1; e < keylen; e++) {
            if (key[e] == '}') {
                break;
            }
        }
        if (e == keylen || e == s + 1) {
            return crc16(key, 0, keylen) & 16383;
        }
        return crc16(key, s + 1, e - s - 1) & 16383;
    }

    static int slot(String key) {
        return slot(key.getBytes(StandardCharsets.UTF_8));
    }
}
