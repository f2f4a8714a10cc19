package io.reslot.sandbox.internal;

import io.reslot.sandbox.SandboxErrorCode;
import io.reslot.sandbox.SandboxException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortAllocatorTest {
    @Test
    void allocatesDistinctPortsWithFreeBusPortsBelowEphemeralRange() {
        Set<Integer> ports = new HashSet<>();
        try {
            for (int i = 0; i < 20; i++) {
                int port = PortAllocator.allocate();
                assertThat(port).isBetween(PortAllocator.FIRST_AUTO_PORT, PortAllocator.LAST_AUTO_PORT);
                assertThat(port + PortAllocator.BUS_PORT_OFFSET).isLessThan(32768);
                assertThat(PortAllocator.isBindable(port)).isTrue();
                // neither the port nor its bus port collides with one handed out before
                assertThat(ports).doesNotContain(port, port + PortAllocator.BUS_PORT_OFFSET,
                        port - PortAllocator.BUS_PORT_OFFSET);
                ports.add(port);
            }
        } finally {
            ports.forEach(PortAllocator::release);
        }
    }

    @Test
    void reservedPortIsNotHandedOutAgainUntilReleased() {
        int port = PortAllocator.allocate();
        try {
            assertThatThrownBy(() -> PortAllocator.reserve(port))
                    .isInstanceOfSatisfying(SandboxException.class,
                            e -> assertThat(e.code()).isEqualTo(SandboxErrorCode.PORT_IN_USE));
        } finally {
            PortAllocator.release(port);
        }
        PortAllocator.reserve(port);
        PortAllocator.release(port);
    }

    @Test
    void busPortInUseMakesPortUnavailable() throws IOException {
        int port = PortAllocator.allocate();
        PortAllocator.release(port);
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port + 10000));

            assertThat(PortAllocator.isBindable(port)).isFalse();
            assertThatThrownBy(() -> PortAllocator.reserve(port)).isInstanceOf(SandboxException.class)
                    .hasMessageContaining(Integer.toString(port + 10000));
        }
        assertThat(PortAllocator.isBindable(port)).isTrue();
    }

    @Test
    void rejectsPortsWithoutRoomForBusPort() {
        assertThatThrownBy(() -> PortAllocator.reserve(55536)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("55536");
        assertThatThrownBy(() -> PortAllocator.reserve(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
