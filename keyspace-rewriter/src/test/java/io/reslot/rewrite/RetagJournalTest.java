package io.reslot.rewrite;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The journal a retag writes before a page's moves: names of any bytes, read back exactly. */
class RetagJournalTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsBackWhatItWrote() {
        List<byte[]> names = List.of(b("user:1:cart"), b(""), b("12:34"), new byte[] {0, ':', (byte) 0xff, '\n'},
                b("ключ"), new byte[300]);

        List<byte[]> read = Retag.decodeJournal(Retag.encodeJournal(names));

        assertThat(read).hasSize(names.size());
        for (int i = 0; i < names.size(); i++) {
            assertThat(read.get(i)).as("name %d", i).isEqualTo(names.get(i));
        }
        assertThat(new String(Retag.encodeJournal(List.of(b("ab"), b("c"))), StandardCharsets.UTF_8))
                .isEqualTo("2:ab1:c");
    }

    @Test
    void noJournalIsNoNames() {
        assertThat(Retag.decodeJournal(null)).isEmpty();
        assertThat(Retag.decodeJournal(new byte[0])).isEmpty();
    }

    @Test
    void aDamagedJournalIsRefusedSayingWhatToDo() {
        for (String damaged : List.of("5:abc", "x:abc", "3abc", ":abc", "2:ab3:", "99999999999:a")) {
            assertThatThrownBy(() -> Retag.decodeJournal(b(damaged))).as(damaged)
                    .isInstanceOf(RewriteException.class).hasMessageContaining("damaged")
                    .hasMessageContaining("run the retag again");
        }
    }
}
