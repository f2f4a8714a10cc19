package io.reslot.sandbox.junit;

import io.reslot.sandbox.LocalClusterOptions;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts one {@link io.reslot.sandbox.LocalCluster} for the annotated test class, hands it to every
 * {@code LocalCluster} parameter of its constructor, {@code @BeforeAll}/{@code @BeforeEach}/{@code @AfterEach}/
 * {@code @AfterAll} methods and test methods (also of its {@code @Nested} classes), and closes it after the class.
 *
 * <pre>{@code
 * @WithLocalCluster(masters = 3, replicas = 1)
 * class MoverIT {
 *     @Test
 *     void movesSlot(LocalCluster cluster) { ... }
 * }
 * }</pre>
 *
 * The cluster is started by the first test that asks for it; tests of one class share it, so a test that kills
 * or pauses nodes should restore them (or the class should be ordered so that it runs last).
 *
 * @see LocalClusterExtension
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalClusterExtension.class)
public @interface WithLocalCluster {
    /** @return number of masters */
    int masters() default LocalClusterOptions.DEFAULT_MASTERS;

    /** @return replicas per master */
    int replicas() default LocalClusterOptions.DEFAULT_REPLICAS;

    /**
     * @return {@code ""} to resolve redis-server normally (honouring the {@code reslot.redis} system property),
     *         or a bundled version, {@code "6.2"} or {@code "7.0"}, to use that one
     */
    String redis() default "";

    /** @return {@code cluster-node-timeout} in milliseconds */
    long nodeTimeoutMillis() default LocalClusterOptions.DEFAULT_NODE_TIMEOUT_MILLIS;
}
