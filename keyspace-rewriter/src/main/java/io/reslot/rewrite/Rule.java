package io.reslot.rewrite;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One retag rule, as written: which keys it takes and what it renames them to. For {@code user:42:profile} to
 * become {@code user:{42}:profile}: match {@code user:*}, regex {@code ^user:(?<id>[0-9]+):(?<rest>.*)$}, to
 * {@code user:{${id}}:${rest}}.
 *
 * <p>A rule is plain data and may hold anything; {@link Rules#of} checks it. Serialisable with a plain Jackson
 * {@code ObjectMapper} under these property names, which are those of the rules file ({@code match} is left out
 * when null).
 *
 * @param match a Redis glob ({@code SCAN ... MATCH}) the key must also match, or null to try the regex on every key.
 *     It is what lets the rewriter ask the server for fewer keys
 * @param regex a Java regular expression that must match the whole key, with groups for the parts the new name keeps
 * @param to the new name: text and group references, {@code ${name}} for a named group and {@code $1} or
 *     {@code ${1}} for a numbered one; {@code \$} is a literal dollar and {@code \\} a literal backslash. Its
 *     hash tag (the text between its first {@code '{'} and the next {@code '}'}) must be fixed by the template, as
 *     {@link Rules#of} explains
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rule(String match, String regex, String to) {
}
