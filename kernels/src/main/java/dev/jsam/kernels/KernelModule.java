package dev.jsam.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The catalogue of the GPU kernels: one constant per CUDA C source in src/main/cuda, with the
 * extern "C" entry points its PTX defines and the PTX text itself (built by build-ptx.sh for
 * compute_90 and committed as a resource). Pure data: nothing here talks to a GPU or a driver.
 */
public enum KernelModule {
    ELEMENTWISE("elementwise", "unary_f32", "binary_f32", "binary_scalar_f32", "unary_dense_f32", "binary_dense_f32"),
    COPY("copy", "copy_b1", "copy_b2", "copy_b4", "copy_b8", "cast_any",
            "index_select_b1", "index_select_b2", "index_select_b4", "index_select_b8"),
    REDUCE("reduce", "reduce_f32", "argmax_f32", "softmax_f32"),
    NORM("norm", "layernorm_f32", "layernorm2d_f32"),
    GEMM("gemm", "sgemm_f32", "sgemm_128_f32", "sgemm_tf32_f32"),
    ATTENTION("attention", "attention_f32", "attention_tiled_f32"),
    RESAMPLE("resample", "bilinear_f32", "linear_resize_f32"),
    CONV("conv", "im2col_f32", "col2im_f32");

    /** The PTX target every module is compiled for (sm_90 and later JIT it from this). */
    public static final String PTX_TARGET = "sm_90";

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

    /** The module's PTX text, read from the classpath. */
    public String ptx() {
        String resource = fileName + ".ptx";
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
