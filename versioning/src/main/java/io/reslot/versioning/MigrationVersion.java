package io.reslot.versioning;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import static io.reslot.slot.internal.Preconditions.requireArgument;

/**
 * The version of a migration: whole numbers separated by dots, such as {@code 1}, {@code 1.2} or {@code 2.10.3}.
 * File and class names write the dots as underscores ({@code V1_2__Split_users} is version 1.2), and so may the
 * text given to {@link #parse}.
 *
 * <p>Versions compare as numbers, part by part, with missing parts counting as 0: {@code 1.10} comes after
 * {@code 1.9}, and {@code 1}, {@code 1.0} and {@code 1.00} are the same version ({@link #equals} agrees with
 * {@link #compareTo}). A part may have any number of digits.
 *
 * <p>Immutable. Serialised by Jackson as its text.
 */
public final class MigrationVersion implements Comparable<MigrationVersion> {

    private final String text;
    /** The parts without trailing zeros, which is what comparing and hashing look at. */
    private final BigInteger[] parts;

    private MigrationVersion(String text, BigInteger[] parts) {
        this.text = text;
        this.parts = parts;
    }

    /**
     * Parses a version: whole numbers of decimal digits, separated by {@code .} or {@code _}.
     *
     * @throws NullPointerException if {@code text} is null
     * @throws IllegalArgumentException naming the text if it is empty, or has a part that is empty (two separators in
     *     a row, or one at either end) or not made of the digits 0-9 (a sign, a space, a letter)
     */
    @JsonCreator
    public static MigrationVersion parse(String text) {
        Objects.requireNonNull(text, "text");
        requireArgument(!text.isEmpty(), "a migration version is empty; give whole numbers separated by dots, "
                + "such as 1 or 1.2");
        String dotted = text.replace('_', '.');
        String[] items = dotted.split("\\.", -1);
        List<BigInteger> parts = new ArrayList<>(items.length);
        for (String item : items) {
            requireArgument(!item.isEmpty(), "invalid migration version \"%s\": a part is empty; give whole numbers "
                    + "separated by dots, such as 1 or 1.2", text);
            requireArgument(item.chars().allMatch(c -> c >= '0' && c <= '9'), "invalid migration version \"%s\": "
                    + "\"%s\" is not a whole number; give whole numbers separated by dots, such as 1 or 1.2", text, item);
            parts.add(new BigInteger(item));
        }
        int length = parts.size();
        while (length > 0 && parts.get(length - 1).signum() == 0) {
            length--;
        }
        return new MigrationVersion(dotted, parts.subList(0, length).toArray(new BigInteger[0]));
    }

    /**
     * Compares part by part, as numbers; a missing part counts as 0.
     *
     * @throws NullPointerException if {@code other} is null
     */
    @Override
    public int compareTo(MigrationVersion other) {
        int common = Math.min(parts.length, other.parts.length);
        for (int i = 0; i < common; i++) {
            int c = parts[i].compareTo(other.parts[i]);
            if (c != 0) {
                return c;
            }
        }
        // Without trailing zeros, the longer one has a non-zero part where the shorter has none.
        return Integer.compare(parts.length, other.parts.length);
    }

    /** Whether {@code o} is the same version, as {@link #compareTo} decides: {@code 1.0} equals {@code 1}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof MigrationVersion other && Arrays.equals(parts, other.parts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(parts);
    }

    /** The version as it was written, with dots: {@code 1_2} gives {@code 1.2}, {@code 1.0} stays {@code 1.0}. */
    @JsonValue
    @Override
    public String toString() {
        return text;
    }
}
