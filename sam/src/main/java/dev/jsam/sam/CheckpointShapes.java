package dev.jsam.sam;

import dev.jsam.sam.modeling.ImageEncoderConfig;
import dev.jsam.sam.modeling.TinyViTConfig;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads an image encoder's hyper-parameters off a state_dict's shapes, for {@link SamConfig#infer}:
 * SAM's ViT (widths from the weight matrices, depth from the block indices, head counts from the
 * relative-position tables, global blocks from their table length) and MobileSAM's TinyViT (widths
 * from the norms, heads and windows from the attention-bias tables). Stateless.
 */
final class CheckpointShapes {
    static final String VIT_PATCH = "image_encoder.patch_embed.proj.weight";
    static final String TINY_VIT_PATCH = "image_encoder.patch_embed.seq.0.c.weight";

    private final Map<String, int[]> shapes;

    CheckpointShapes(Map<String, int[]> shapes) {
        this.shapes = shapes;
    }

    boolean has(String key) {
        return shapes.containsKey(key);
    }

    ImageEncoderConfig vit(int defaultWindow) {
        int[] patch = need(VIT_PATCH, 4);
        int embedDim = patch[0];
        int patchSize = patch[2];
        int grid = need("image_encoder.pos_embed", 4)[1];
        int depth = countIndexed("image_encoder.blocks.");
        if (depth == 0) {
            throw new IllegalArgumentException("checkpoint has no image_encoder.blocks.* tensors: not a SAM checkpoint?");
        }
        int headDim = need("image_encoder.blocks.0.attn.rel_pos_h", 2)[1];
        int windowSize = 0;
        var global = new TreeSet<Integer>();
        for (int b = 0; b < depth; b++) {
            int len = need("image_encoder.blocks." + b + ".attn.rel_pos_h", 2)[0];
            if (len == 2 * grid - 1) {
                global.add(b);
            } else {
                windowSize = (len + 1) / 2;
            }
        }
        int mlpDim = need("image_encoder.blocks.0.mlp.lin1.weight", 2)[0];
        int outChans = need("image_encoder.neck.0.weight", 4)[0];
        boolean qkvBias = has("image_encoder.blocks.0.attn.qkv.bias");
        return new ImageEncoderConfig(grid * patchSize, patchSize, patch[1], embedDim, depth, embedDim / headDim, mlpDim, outChans,
                qkvBias, true, windowSize == 0 ? defaultWindow : windowSize,
                global.stream().mapToInt(Integer::intValue).toArray());
    }

    /** TinyViT at imageSize: the reference's forward fixes the neck's 64 x 64 grid, so the size is not in the shapes. */
    TinyViTConfig tinyVit(int imageSize) {
        String l = "image_encoder.layers.";
        int[] dims = new int[4];
        int[] depths = new int[4];
        int[] heads = new int[4];
        int[] windows = new int[4];
        int[] stem = need(TINY_VIT_PATCH, 4);
        dims[0] = need("image_encoder.patch_embed.seq.2.c.weight", 4)[0];
        for (int s = 0; s < 4; s++) {
            depths[s] = countIndexed(l + s + ".blocks.");
            if (depths[s] == 0) {
                throw new IllegalArgumentException("cannot infer the TinyViT configuration: checkpoint has no "
                        + l + s + ".blocks.* tensors");
            }
            if (s == 0) {
                continue;
            }
            dims[s] = need(l + s + ".blocks.0.attn.norm.weight", 1)[0];
            int[] biases = need(l + s + ".blocks.0.attn.attention_biases", 2);
            heads[s] = biases[0];
            windows[s] = (int) Math.round(Math.sqrt(biases[1]));
            if (windows[s] * windows[s] != biases[1]) {
                throw new IllegalArgumentException(l + s + ".blocks.0.attn.attention_biases has " + biases[1]
                        + " offsets, not the square of a window size");
            }
        }
        int mlpRatio = need(l + "1.blocks.0.mlp.fc1.weight", 2)[0] / dims[1];
        int expand = need(l + "0.blocks.0.conv1.c.weight", 4)[0] / dims[0];
        int localConv = need(l + "1.blocks.0.local_conv.c.weight", 4)[2];
        int outChans = need("image_encoder.neck.0.weight", 4)[0];
        int numClasses = has("image_encoder.head.weight") ? need("image_encoder.head.weight", 2)[0] : 0;
        return new TinyViTConfig(imageSize, stem[1], dims, depths, heads, windows, mlpRatio, expand, localConv, outChans,
                numClasses);
    }

    int[] need(String key, int rank) {
        int[] s = shapes.get(key);
        if (s == null) {
            throw new IllegalArgumentException("cannot infer the SAM configuration: checkpoint has no tensor " + key);
        }
        if (s.length != rank) {
            throw new IllegalArgumentException("tensor " + key + " has shape " + Arrays.toString(s) + ", expected rank " + rank);
        }
        return s;
    }

    int countIndexed(String prefix) {
        int n = 0;
        while (true) {
            String p = prefix + n + ".";
            if (shapes.keySet().stream().noneMatch(k -> k.startsWith(p))) {
                return n;
            }
            n++;
        }
    }
}
