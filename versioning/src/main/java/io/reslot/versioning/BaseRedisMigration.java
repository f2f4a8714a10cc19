package io.reslot.versioning;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link RedisMigration} whose version and description come from its class name, as Flyway's
 * {@code BaseJavaMigration} does: {@code V3__Split_hot_tags} is version 3, "Split hot tags", and {@code V1_2__x} is
 * version 1.2.
 *
 * <pre>{@code
 * public class V3__Split_hot_tags extends BaseRedisMigration {
 *     static final String TARGET = "10.0.0.7:7000";
 *
 *     protected Map<String, Object> parameters() {
 *         return Map.of("target", TARGET);
 *     }
 *
 *     public void migrate(MigrationContext context) {
 *         context.run(new Step.MoveSlots(SlotSet.parse("0-99"), TARGET));
 *     }
 * }
 * }</pre>
 *
 * <p>Its checksum covers the class's name and its {@link #parameters()}, so that editing a parameter shows in
 * {@code validate}. A change to the code itself is not seen; a subclass that wants it seen puts a revision number
 * in its parameters, or overrides {@link #checksum()}.
 */
public abstract class BaseRedisMigration implements RedisMigration {

    protected BaseRedisMigration() {
    }

    /**
     * The version in the class's simple name.
     *
     * @throws VersioningException {@link VersioningErrorCode#BAD_SCRIPT} naming the class if its name is not
     *     {@code V<version>__<description>}
     */
    @Override
    public MigrationVersion version() {
        return name().version();
    }

    /**
     * The description in the class's simple name, with each {@code _} a space.
     *
     * @throws VersioningException as {@link #version()}
     */
    @Override
    public String description() {
        return name().description();
    }

    /**
     * {@code sha256:} over the class's fully qualified name and {@link #parameters()} in a canonical form: keys sorted,
     * numbers without trailing zeros ({@code 2}, {@code 2L} and {@code 2.0} are the same), sets sorted.
     *
     * @throws VersioningException {@link VersioningErrorCode#BAD_SCRIPT} naming the parameter if a value is of a
     *     type whose text is not stable (its class does not define {@code toString})
     */
    @Override
    public String checksum() {
        String text = getClass().getName() + "\n" + canonical(parameters(), "parameters");
        return Checksums.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The values this migration's work depends on, which its checksum covers; none by default. Values may be
     * strings, numbers, booleans, characters, enums, null, maps, collections, arrays, and objects whose class defines
     * {@code toString} (records, {@code SlotSet}).
     */
    protected Map<String, Object> parameters() {
        return Map.of();
    }

    @Override
    public String toString() {
        return getClass().getName();
    }

    private MigrationName name() {
        String simpleName = getClass().getSimpleName();
        try {
            return MigrationName.parse(simpleName);
        } catch (IllegalArgumentException e) {
            throw VersioningException.badScript("Java migration " + getClass().getName() + ": its class name must be "
                    + "V<version>__<description>, such as V3__Split_hot_tags, or it must override version() and "
                    + "description(); " + e.getMessage(), e);
        }
    }

    /**
     * {@code value} as text that depends only on its value: JSON-like, with map keys and set items sorted.
     *
     * @param path where the value is, for messages: {@code parameters.target}
     */
    static String canonical(Object value, String path) {
        StringBuilder out = new StringBuilder();
        append(out, value, path);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value, String path) {
        if (value == null || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Number number) {
            out.append(number(number));
        } else if (value instanceof CharSequence || value instanceof Character) {
            quote(out, value.toString());
        } else if (value instanceof Enum<?> constant) {
            quote(out, constant.name());
        } else if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            map.forEach((key, item) -> sorted.put(key instanceof CharSequence ? key.toString()
                    : canonical(key, path + " key"), item));
            out.append('{');
            sorted.forEach((key, item) -> {
                out.append(out.charAt(out.length() - 1) == '{' ? "" : ",");
                quote(out, key);
                out.append(':');
                append(out, item, path + "." + key);
            });
            out.append('}');
        } else if (value instanceof Collection<?> || value instanceof Iterable<?> || value.getClass().isArray()) {
            List<String> items = new ArrayList<>();
            int index = 0;
            for (Object item : items(value)) {
                items.add(canonical(item, path + "[" + index++ + "]"));
            }
            if (value instanceof Collection<?> && !(value instanceof List<?>)) {
                items.sort(null); // a set's order is not part of its value
            }
            out.append('[').append(String.join(",", items)).append(']');
        } else {
            try {
                if (value.getClass().getMethod("toString").getDeclaringClass() == Object.class) {
                    throw VersioningException.badScript(path + " is a " + value.getClass().getName()
                            + ", whose text is not stable; give a string, a number, a map or a list instead");
                }
            } catch (NoSuchMethodException e) {
                throw new AssertionError("every class has toString()", e);
            }
            quote(out, value.toString());
        }
    }

    private static Iterable<?> items(Object value) {
        if (value instanceof Iterable<?> iterable) {
            return iterable;
        }
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < Array.getLength(value); i++) {
            items.add(Array.get(value, i));
        }
        return items;
    }

    /** A number's value as text: {@code 2}, {@code 2L}, {@code 2.0f} and {@code 2.00} all give {@code 2}. */
    private static String number(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? number(new BigDecimal(Double.toString(d))) : Double.toString(d);
        }
        if (n instanceof BigDecimal decimal) {
            return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
        }
        if (n instanceof BigInteger || n instanceof Long || n instanceof Integer || n instanceof Short
                || n instanceof Byte) {
            return n.toString();
        }
        return number(new BigDecimal(n.toString()));
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
