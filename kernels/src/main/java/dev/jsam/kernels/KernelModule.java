package dev.jsam.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The catalogue of the GPU kernels: one constant per CUDA C source in src/main/cuda, with the
 * extern "C" entry points its PTX defines and the PTX text itself (built by build-ptx.sh for
 * compute_80 and committed as a resource: the driver JIT-compiles it for every card from sm_80 on),
 * and {@link #ptxResource(int, int)}, which module text a device of a given compute capability
 * loads. Pure data and pure functions: nothing here talks to a GPU or a driver.
 */
public enum KernelModule {
    ELEMENTWISE("elementwise", "unary_f32", "binary_f32", "binary_scalar_f32", "unary_dense_f32", "binary_dense_f32"),
    COPY("copy", "copy_b1", "copy_b2", "copy_b4", "copy_b8", "cast_any",
            "index_select_b1", "index_select_b2", "index_select_b4", "index_select_b8"),
    REDUCE("reduce", "reduce_f32", "argmax_f32", "softmax_f32"),
    NORM("norm", "layernorm_f32", "layernorm2d_f32"),
    GEMM("gemm", "sgemm_f32", "sgemm_128_f32", "sgemm_tf32_f32", "sgemm_3xtf32_f32", "sgemm_bf16_f32"),
    ATTENTION("attention", "attention_f32", "attention_tiled_f32"),
    RESAMPLE("resample", "bilinear_f32", "linear_resize_f32"),
    CONV("conv", "im2col_f32", "col2im_f32");

    /** The PTX target every module is compiled for (sm_80 and later JIT it from this). */
    public static final String PTX_TARGET = "sm_80";
    /** The oldest compute capability the PTX (and mma.sync on tf32 / bf16) runs on, as major * 10 + minor. */
    public static final int MIN_COMPUTE_CAPABILITY = 80;

    private final String fileName;
    private final List<String> entryPoints;

    KernelModule(String fileName, String... entryPoints) {
        this.fileName = fileName;
        this.entryPoints = List.of(entryPoints);
    }

    /** The source's base name: src/main/cuda/NAME.cu, resource dev/jsam/kernels/NAME.ptx. */
    public String fileName() {
        return fileName;
    }

    /** The extern "C" kernel names the module's PTX defines. */
    public List<String> entryPoints() {
        return entryPoints;
    }

    /**
     * The classpath resource (under dev/jsam/kernels) a device of compute capability major.minor
     * loads for this module: the compute_80 PTX for sm_80 and every later card. Older cards fail
     * with one line naming their capability and the minimum, before any module is loaded.
     */
    public String ptxResource(int major, int minor) {
        int cc = major * 10 + minor;
        if (major < 0 || minor < 0 || minor > 9) {
            throw new IllegalArgumentException("compute capability " + major + "." + minor + " is not a valid version");
        }
        if (cc < MIN_COMPUTE_CAPABILITY) {
            throw new IllegalArgumentException("this GPU has compute capability " + major + "." + minor + " (sm_" + cc
                    + "); jsam's CUDA kernels need " + MIN_COMPUTE_CAPABILITY / 10 + "." + MIN_COMPUTE_CAPABILITY % 10
                    + " (sm_80, Ampere) or later");
        }
        return fileName + ".ptx";
    }

    /** The module's PTX text for a device of compute capability major.minor (see {@link #ptxResource(int, int)}). */
    public String ptx(int major, int minor) {
        return read(ptxResource(major, minor));
    }

    /** The module's compute_80 PTX text, read from the classpath (what every supported card loads). */
    public String ptx() {
        return read(fileName + ".ptx");
    }

    private static String read(String resource) {
        try (InputStream in = KernelModule.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("PTX resource dev/jsam/kernels/" + resource
                        + " missing from the classpath (run kernels/build-ptx.sh and rebuild)");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("reading PTX " + resource, e);
        }
    }

    /** The module that defines the entry point, or an error naming it. */
    public static KernelModule of(String entryPoint) {
        for (KernelModule m : values()) {
            if (m.entryPoints.contains(entryPoint)) {
                return m;
            }
        }
        throw new IllegalArgumentException("no kernel module defines entry point " + entryPoint);
    }
}
