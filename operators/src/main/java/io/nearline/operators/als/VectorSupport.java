package io.nearline.operators.als;

/**
 * Whether this JVM can run the SIMD kernels of {@link VectorKernels}: only when the incubating Vector API
 * module is resolved ({@code --add-modules=jdk.incubator.vector}, which {@code bin/nearline}, the local Flink
 * cluster and the Kubernetes manifests pass). Without it the plain-Java kernels serve, with the same top titles.
 * Checked once: classes that use the API are loaded only when this says so.
 */
public final class VectorSupport {

    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("nearline.vector.disabled");

    private VectorSupport() {}

    /**
     * True when the Vector API module is present and the system property {@code nearline.vector.disabled} is not
     * true (an escape hatch should a JIT ever mis-compile the incubating API).
     */
    public static boolean available() {
        return AVAILABLE;
    }
}
