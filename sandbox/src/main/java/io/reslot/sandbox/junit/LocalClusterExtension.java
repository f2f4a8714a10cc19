package io.reslot.sandbox.junit;

import io.reslot.sandbox.BundledRedis;
import io.reslot.sandbox.LocalCluster;
import io.reslot.sandbox.LocalClusterOptions;
import io.reslot.sandbox.RedisServerBinary;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.time.Duration;

/**
 * Resolves {@link LocalCluster} parameters with one cluster per top-level test class, configured by the class's
 * {@link WithLocalCluster} annotation (defaults when the extension is registered with
 * {@code @ExtendWith(LocalClusterExtension.class)} alone). The cluster lives in the class-level
 * {@link ExtensionContext.Store}, so JUnit closes it when the class is done; the cluster's own shutdown hook
 * covers a JVM that exits before that.
 */
public final class LocalClusterExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LocalClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == LocalCluster.class;
    }

    /**
     * @throws io.reslot.sandbox.SandboxException if the cluster cannot be started
     */
    @Override
    public LocalCluster resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        ExtensionContext classContext = topLevelClassContext(extensionContext);
        Class<?> testClass = classContext.getRequiredTestClass();
        return classContext.getStore(NAMESPACE)
                .getOrComputeIfAbsent(LocalCluster.class, key -> new Resource(LocalCluster.start(options(testClass))),
                        Resource.class)
                .cluster;
    }

    /** The options a {@link WithLocalCluster} on {@code testClass} (or none) asks for. */
    static LocalClusterOptions options(Class<?> testClass) {
        LocalClusterOptions.Builder builder = LocalClusterOptions.builder();
        AnnotationSupport.findAnnotation(testClass, WithLocalCluster.class).ifPresent(a -> {
            builder.masters(a.masters()).replicas(a.replicas()).nodeTimeout(Duration.ofMillis(a.nodeTimeoutMillis()));
            if (!a.redis().isBlank()) {
                builder.redis(RedisServerBinary.bundled(BundledRedis.of(a.redis())));
            }
        });
        return builder.build();
    }

    private static ExtensionContext topLevelClassContext(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        ExtensionContext current = context;
        while (current.getParent().isPresent() && current.getParent().get() != root) {
            current = current.getParent().get();
        }
        return current;
    }

    /**
     * Closes the cluster when JUnit discards the class-level store. JUnit 5.13+ closes {@link AutoCloseable}
     * values (once); older versions only know {@code CloseableResource}.
     */
    @SuppressWarnings("deprecation")
    private static final class Resource implements AutoCloseable, ExtensionContext.Store.CloseableResource {
        private final LocalCluster cluster;

        Resource(LocalCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void close() {
            cluster.close();
        }
    }
}
