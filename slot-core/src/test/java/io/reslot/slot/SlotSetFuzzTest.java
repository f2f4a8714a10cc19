package io.reslot.slot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SlotSet#parse} on random text: 20,000 strings from seed 7, mostly of digits, dashes, commas and blanks (the
 * characters of SLOTS), some mutated from valid sets. Each either parses or fails with an
 * {@link IllegalArgumentException} whose message quotes the text; never another exception. Two oracles: text in the
 * strict grammar ({@code N} or {@code N-M}, N ≤ M ≤ 16383, joined by commas) parses to exactly its slots, and text
 * that parses has no other characters than those of SLOTS and no number above 16383.
 */
class SlotSetFuzzTest {

    private static final long SEED = 7;
    private static final int CASES = 20_000;
    private static final Pattern ITEM = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    @Test
    void parsesOrSaysWhatIsWrong() {
        Mutations mutations = new Mutations(SEED);
        List<String> valid = List.of("0-999,2000,3000-3100", "0-16383", "16383", "5,4,3", "0-0,1-1");
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            String text = i % 4 == 0
                    ? new String(mutations.mutate(mutations.pick(valid).getBytes(StandardCharsets.UTF_8)),
                            StandardCharsets.UTF_8)
                    : mutations.text("0123456789-, 16383", 24);
            String failure = check(text);
            if (failure != null) {
                failures.add(Mutations.show(text) + ": " + failure);
            }
        }
        assertThat(failures).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ",", "1,,2", "1,", ",1", "200-100", "0-16384", "16384", "-1", "-1-5", "1-",
            "-", "1-2-3", "99999999999999999999", "2147483648", "0x10", "1e3", "+5", "٣", "1\u00002", "1;2"})
    void rejectsWithAMessageThatQuotesTheText(String text) {
        assertThatThrownBy(() -> SlotSet.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid slots \"" + text + "\"");
    }

    /** Null when {@code text} is handled as the class comment says, else what went wrong. */
    private static String check(String text) {
        BitSet expected = strict(text);
        SlotSet parsed;
        try {
            parsed = SlotSet.parse(text);
        } catch (IllegalArgumentException e) {
            if (expected != null) {
                return "valid slots rejected: " + e.getMessage();
            }
            return e.getMessage() != null && e.getMessage().startsWith("invalid slots \"" + text + "\"") ? null
                    : "message does not quote the text: " + e.getMessage();
        } catch (RuntimeException | Error e) {
            return "threw " + e;
        }
        if (expected != null && !bits(parsed).equals(expected)) {
            return "parsed as " + parsed;
        }
        if (!text.chars().allMatch(c -> Character.isDigit(c) && c < 128 || c == '-' || c == ','
                || Character.isWhitespace(c))) {
            return "accepted a character that is not part of SLOTS: " + parsed;
        }
        Matcher n = NUMBER.matcher(text);
        while (n.find()) {
            if (Long.parseLong(n.group().length() > 18 ? "99999999999999999" : n.group()) > KeySlot.MAX_SLOT) {
                return "accepted " + n.group() + " as a slot";
            }
        }
        return SlotSet.parse(parsed.toString()).equals(parsed) ? null : "toString does not parse back: " + parsed;
    }

    /** The slots of {@code text} if it is in the strict grammar, else null. */
    private static BitSet strict(String text) {
        BitSet slots = new BitSet();
        for (String item : text.split(",", -1)) {
            Matcher m = ITEM.matcher(item);
            if (!m.matches()) {
                return null;
            }
            int first = Integer.parseInt(m.group(1));
            int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
            if (first > last || last > KeySlot.MAX_SLOT) {
                return null;
            }
            slots.set(first, last + 1);
        }
        return slots;
    }

    private static BitSet bits(SlotSet set) {
        BitSet slots = new BitSet();
        for (SlotRange range : set.ranges()) {
            slots.set(range.first(), range.last() + 1);
        }
        return slots;
    }
}
