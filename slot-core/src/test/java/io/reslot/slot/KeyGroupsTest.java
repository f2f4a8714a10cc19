package io.reslot.slot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyGroupsTest {

    @Test
    void groupsBySlotKeepingCallersOrder() {
        int[] slots = randomSlots(10_000, 300);

        KeyGroups groups = KeyGroups.bySlot(slots);

        assertThat(asMap(groups)).isEqualTo(naiveGroups(slots, slots.length, s -> s));
        assertThat(groups.keyCount()).isEqualTo(slots.length);
    }

    @Test
    void groupsByNode() {
        int[] nodeOfSlot = new int[KeySlot.SLOT_COUNT];
        for (int s = 0; s < nodeOfSlot.length; s++) {
            nodeOfSlot[s] = s < 5461 ? 2 : s < 10923 ? 0 : 1;
        }
        int[] slots = randomSlots(5_000, KeySlot.SLOT_COUNT);

        KeyGroups groups = KeyGroups.byNode(slots, nodeOfSlot);

        assertThat(asMap(groups)).isEqualTo(naiveGroups(slots, slots.length, s -> nodeOfSlot[s]));
        assertThat(groups.size()).isEqualTo(3);
        assertThat(groups.id(0)).isZero();
    }

    @Test
    void handlesNoKeys() {
        KeyGroups groups = KeyGroups.bySlot(new int[0]);

        assertThat(groups.size()).isZero();
        assertThat(groups.keyCount()).isZero();
    }

    @Test
    void rejectsSlotsOutOfRangeAndSlotsWithoutNode() {
        assertThatThrownBy(() -> KeyGroups.bySlot(new int[] {1, 16384}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("key 1 has slot 16384, out of range 0-16383");
        int[] nodeOfSlot = new int[KeySlot.SLOT_COUNT];
        nodeOfSlot[7] = -1;
        assertThatThrownBy(() -> KeyGroups.byNode(new int[] {0, 7}, nodeOfSlot))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("key 1 is in slot 7, which has no node");
        assertThatThrownBy(() -> KeyGroups.byNode(new int[] {0}, new int[10]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs one per slot");
    }

    private static int[] randomSlots(int n, int distinct) {
        SplittableRandom random = new SplittableRandom(n);
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) {
            slots[i] = random.nextInt(distinct) * (KeySlot.SLOT_COUNT / distinct);
        }
        return slots;
    }

    private static Map<Integer, List<Integer>> asMap(KeyGroups groups) {
        Map<Integer, List<Integer>> map = new TreeMap<>();
        for (int g = 0; g < groups.size(); g++) {
            List<Integer> keys = new ArrayList<>();
            for (int p = groups.from(g); p < groups.to(g); p++) {
                keys.add(groups.keyIndex(p));
            }
            assertThat(groups.keyIndexes(g)).containsExactly(keys.stream().mapToInt(Integer::intValue).toArray());
            map.put(groups.id(g), keys);
        }
        return map;
    }

    private static Map<Integer, List<Integer>> naiveGroups(int[] slots, int n,
            java.util.function.IntUnaryOperator group) {
        Map<Integer, List<Integer>> map = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            map.computeIfAbsent(group.applyAsInt(slots[i]), k -> new ArrayList<>()).add(i);
        }
        return map;
    }
}
