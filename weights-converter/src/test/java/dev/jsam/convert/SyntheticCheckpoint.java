package dev.jsam.convert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Dev tool for the streaming benchmark (test scope, not shipped): writes a synthetic torch.save
 * zip checkpoint of roughly the requested size with ViT-H-like tensor shapes (float32, one storage
 * per tensor), streaming so its own heap stays small. Usage: SyntheticCheckpoint OUT.pth SIZE_GB.
 * Values are a cheap pattern, not a trained model.
 */
final class SyntheticCheckpoint {
    private SyntheticCheckpoint() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        long target = (long) (Double.parseDouble(args[1]) * 1e9);
        long[][] shapes = {{3840, 1280}, {3840}, {1280, 1280}, {1280}, {5120, 1280}, {5120}, {1280, 5120}, {1280}};
        String[] names = {"attn.qkv.weight", "attn.qkv.bias", "attn.proj.weight", "attn.proj.bias",
            "mlp.lin1.weight", "mlp.lin1.bias", "mlp.lin2.weight", "mlp.lin2.bias"};
        PickleBuilder p = new PickleBuilder().proto(2).orderedDict().mark();
        List<long[]> sizes = new ArrayList<>();
        long total = 0;
        for (int block = 0; total < target; block++) {
            for (int i = 0; i < names.length; i++) {
                long numel = 1;
                for (long d : shapes[i]) {
                    numel *= d;
                }
                p.str("image_encoder.blocks." + block + "." + names[i])
                        .tensor("FloatStorage", String.valueOf(sizes.size()), numel, shapes[i]);
                sizes.add(new long[] {numel});
                total += numel * 4;
            }
        }
        p.setItems().stop();
        ByteBuffer pattern = ByteBuffer.allocateDirect(8 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
             ZipWriter z = new ZipWriter(ch, total > 0xffff_0000L)) {
            z.add("synthetic/data.pkl", p.bytes());
            for (int k = 0; k < sizes.size(); k++) {
                pattern.clear();
                for (int i = 0; pattern.hasRemaining(); i++) {
                    pattern.putFloat(((k * 7919 + i) % 2001 - 1000) * 1e-3f);
                }
                pattern.flip();
                long bytes = sizes.get(k)[0] * 4;
                z.add("synthetic/data/" + k, sink -> {
                    for (long done = 0; done < bytes; ) {
                        ByteBuffer chunk = pattern.duplicate().limit((int) Math.min(pattern.limit(), bytes - done));
                        done += chunk.remaining();
                        sink.accept(chunk);
                    }
                });
            }
            z.add("synthetic/version", "3\n".getBytes());
        }
        System.out.printf("wrote %s: %d tensors, %.2f GB of float32%n", out, sizes.size(), total / 1e9);
    }
}
