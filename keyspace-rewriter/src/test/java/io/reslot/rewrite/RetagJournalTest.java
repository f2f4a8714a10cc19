package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@link Journal} a retag writes before a page's moves: names of any bytes, read back exactly, with its ledger. */
class RetagJournalTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsBackWhatItWrote() {
        List<byte[]> names = List.of(b("user:1:cart"), b(""), b("12:34"), new byte[] {0, ':', (byte) 0xff, '\n'},
                b("ключ"), new byte[300], b("#7 1,2\n"));

        Journal read = Journal.decode(new Journal("5f3a", List.of(0, 5461, 16383), names).encode());

        assertThat(read.pageId()).isEqualTo("5f3a");
        assertThat(read.slots()).containsExactly(0, 5461, 16383);
        assertThat(read.names()).hasSize(names.size());
        for (int i = 0; i < names.size(); i++) {
            assertThat(read.names().get(i)).as("name %d", i).isEqualTo(names.get(i));
        }
        assertThat(new String(new Journal("a1", List.of(7), List.of(b("ab"), b("c"))).encode(),
                StandardCharsets.UTF_8)).isEqualTo("#a1 7\n2:ab1:c");
        assertThat(Journal.decode(new Journal("a1", List.of(), List.of(b("x"))).encode()).slots()).isEmpty();
    }

    /** What a reslot from before the ledger wrote: names only, and no ledger, so nothing is known to be its own. */
    @Test
    void aJournalWithoutAHeaderHasNamesAndNoLedger() {
        Journal read = Journal.decode(b("2:ab1:c"));

        assertThat(read.pageId()).isNull();
        assertThat(read.names()).containsExactly(b("ab"), b("c"));
    }

    @Test
    void noJournalIsNoNames() {
        assertThat(Journal.decode(null).names()).isEmpty();
        assertThat(Journal.decode(new byte[0]).names()).isEmpty();
        assertThat(Journal.decode(null).pageId()).isNull();
    }

    @Test
    void aDamagedJournalIsRefusedSayingWhatToDo() {
        for (String damaged : List.of("5:abc", "x:abc", "3abc", ":abc", "2:ab3:", "99999999999:a", "#", "#a1 7",
                "#a1\n1:a", "# 7\n1:a", "#a1 x\n1:a", "#a1 7\n5:abc")) {
            assertThatThrownBy(() -> Journal.decode(b(damaged))).as(damaged)
                    .isInstanceOf(RewriteException.class).hasMessageContaining("damaged")
                    .hasMessageContaining("run the retag again");
        }
    }
}
