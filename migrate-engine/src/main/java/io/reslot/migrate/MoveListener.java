package io.reslot.migrate;

/**
 * Receives a job's {@link MoveEvent}s. Called from the mover's threads, several at once: implementations must be
 * thread-safe and quick (a slow listener slows the move). An exception thrown by a listener is ignored.
 */
@FunctionalInterface
public interface MoveListener {

    /** A listener that ignores every event. */
    MoveListener NONE = event -> { };

    /** Receives one event. */
    void on(MoveEvent event);
}
