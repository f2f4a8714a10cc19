package io.reslot.versioning;

import java.util.List;

/**
 * What {@code validate} found. Serialisable with Jackson.
 *
 * @param valid whether the applied migrations match the ones found, and nothing blocks {@code migrate}
 * @param problems one line for each problem: an applied migration whose checksum changed (with both checksums), one
 *     that is missing, one found that is older than the newest applied and was never applied
 */
public record ValidateResult(boolean valid, List<String> problems) {

    /** @throws NullPointerException if {@code problems} is null */
    public ValidateResult {
        problems = List.copyOf(problems);
    }
}
