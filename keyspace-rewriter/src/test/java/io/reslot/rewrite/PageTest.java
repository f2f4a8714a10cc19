package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PageTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A retag's ledger keys live in the users' slots, where a broad rule would match them: they are never renamed. */
    @Test
    void neverRenamesARetagsOwnLedgerKeys() {
        Rules anything = Rules.of(List.of(new Rule("*", "^(?<a>[^:]+):(?<rest>.*)$", "{${a}}:${rest}")));

        Page page = Page.sort(anything, List.of(b("user:42"), b(Ledger.PREFIX + "{0}:5f3a"), b("reslot:retag:x")));

        assertThat(page.from()).containsExactly(b("user:42"), b("reslot:retag:x"));
        assertThat(page.to()).containsExactly(b("{user}:42"), b("{reslot}:retag:x"));
    }
}
