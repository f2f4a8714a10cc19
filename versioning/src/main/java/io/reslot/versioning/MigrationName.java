package io.reslot.versioning;

/**
 * The version and description in a migration's name, {@code V<version>__<description>}, as Flyway names them: the
 * version's parts may be separated by {@code _} as well as {@code .}, and each {@code _} of the description is a
 * space. {@code V3__Split_hot_tags} is version 3, "Split hot tags"; {@code V1_2__x} is version 1.2.
 *
 * @param version the version
 * @param description the description, possibly empty
 */
record MigrationName(MigrationVersion version, String description) {

    private static final String SEPARATOR = "__";

    /**
     * Parses a file name without its ending, or a simple class name.
     *
     * @throws IllegalArgumentException naming {@code name} if it does not start with {@code V}, has no {@code __}
     *     after the version, or its version is not valid
     */
    static MigrationName parse(String name) {
        int separator = name.indexOf(SEPARATOR);
        if (!name.startsWith("V") || separator < 0) {
            throw new IllegalArgumentException("\"" + name + "\" is not a migration name; name a migration "
                    + "V<version>__<description>, such as V1__Move_first_slots or V1_2__Retag_users");
        }
        String version = name.substring(1, separator);
        try {
            return new MigrationName(MigrationVersion.parse(version),
                    name.substring(separator + SEPARATOR.length()).replace('_', ' ').strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + name + "\" is not a migration name: " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code name} looks like it is meant to be a migration's: {@code V}, a digit, and a {@code __} later.
     * For class names, where {@code V} alone is a common start ({@code Validator}).
     */
    static boolean looksVersioned(String name) {
        return name.length() > 1 && name.charAt(0) == 'V' && name.charAt(1) >= '0' && name.charAt(1) <= '9'
                && name.indexOf(SEPARATOR) > 0;
    }
}
