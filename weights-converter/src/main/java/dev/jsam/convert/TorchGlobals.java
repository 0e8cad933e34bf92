package dev.jsam.convert;

import dev.jsam.tensor.DType;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The allow-list of the restricted unpickler, in the spirit of PyTorch's weights_only: the few
 * globals a state_dict checkpoint needs, each with a fixed Java meaning (a map, a tensor
 * reference, a storage dtype). Any other global is refused by name; nothing is ever looked up,
 * loaded, instantiated or executed from what the file says.
 */
final class TorchGlobals {
    private static final Map<String, DType> STORAGE_TYPES = Map.of(
            "FloatStorage", DType.F32,
            "HalfStorage", DType.F16,
            "BFloat16Storage", DType.BF16,
            "DoubleStorage", DType.F64,
            "LongStorage", DType.I64,
            "IntStorage", DType.I32,
            "ShortStorage", DType.I16,
            "CharStorage", DType.I8,
            "ByteStorage", DType.U8,
            "BoolStorage", DType.BOOL);

    private static final Set<String> CALLABLES = Set.of(
            "collections.OrderedDict",
            "torch._utils._rebuild_tensor",
            "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state",
            "torch.Size",
            "_codecs.encode");

    private TorchGlobals() {
    }

    /** Checks a global against the allow-list; the message of a refusal names it. */
    static PyGlobal resolve(String module, String name) throws CheckpointException {
        String full = module + "." + name;
        if (CALLABLES.contains(full) || (module.equals("torch") && STORAGE_TYPES.containsKey(name))) {
            return new PyGlobal(module, name);
        }
        throw new CheckpointException("refusing global " + full
                + " (not on the allow-list of what weight checkpoints need)");
    }

    /** The element type of a storage-type global such as torch.FloatStorage, or null. */
    static DType storageDType(Object value) {
        if (value instanceof PyGlobal g && g.module().equals("torch")) {
            return STORAGE_TYPES.get(g.name());
        }
        return null;
    }

    /** REDUCE: applies an allowed callable to its argument tuple, with a fixed Java meaning. */
    static Object call(Object callable, PyTuple args) throws CheckpointException {
        if (!(callable instanceof PyGlobal g) || !CALLABLES.contains(g.toString())) {
            throw new CheckpointException("refusing to call " + describe(callable));
        }
        return switch (g.toString()) {
            case "collections.OrderedDict" -> orderedDict(args);
            case "torch._utils._rebuild_tensor" -> rebuildTensor(g, args, 4, 4);
            case "torch._utils._rebuild_tensor_v2" -> rebuildTensor(g, args, 6, 7);
            case "torch._utils._rebuild_parameter" -> parameter(g, args, 3);
            case "torch._utils._rebuild_parameter_with_state" -> parameter(g, args, 4);
            case "torch.Size" -> {
                arity(g, args, 1, 1);
                yield tupleArg(g, args.get(0), "sizes");
            }
            case "_codecs.encode" -> encode(g, args);
            default -> throw new CheckpointException("refusing to call " + g);
        };
    }

    /** NEWOBJ (cls.__new__): only OrderedDict may be created this way. */
    static Object newObject(Object cls, PyTuple args) throws CheckpointException {
        if (cls instanceof PyGlobal g && g.toString().equals("collections.OrderedDict") && args.size() == 0) {
            return new LinkedHashMap<Object, Object>();
        }
        throw new CheckpointException("refusing to instantiate " + describe(cls));
    }

    static String describe(Object value) {
        return value instanceof PyGlobal g ? g.toString()
                : value == null ? "None" : "a " + value.getClass().getSimpleName() + " value";
    }

    private static Object orderedDict(PyTuple args) throws CheckpointException {
        Map<Object, Object> map = new LinkedHashMap<>();
        if (args.size() == 0) {
            return map;
        }
        if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
            for (Object p : pairs) {
                if (!(p instanceof PyTuple kv) || kv.size() != 2) {
                    throw new CheckpointException("collections.OrderedDict: expected (key, value) pairs, got " + p);
                }
                map.put(kv.get(0), kv.get(1));
            }
            return map;
        }
        throw new CheckpointException("collections.OrderedDict: unsupported arguments " + args);
    }

    private static TensorRef rebuildTensor(PyGlobal g, PyTuple args, int min, int max) throws CheckpointException {
        arity(g, args, min, max);
        if (!(args.get(0) instanceof StorageRef storage)) {
            throw new CheckpointException(g + ": first argument is " + describe(args.get(0)) + ", not a storage");
        }
        long offset = longArg(g, args.get(1), "storage_offset");
        long[] size = longs(g, tupleArg(g, args.get(2), "size"), "size");
        long[] stride = longs(g, tupleArg(g, args.get(3), "stride"), "stride");
        if (size.length != stride.length) {
            throw new CheckpointException(g + ": size has " + size.length + " dimensions but stride has " + stride.length);
        }
        return new TensorRef(storage, offset, size, stride);
    }

    private static Object parameter(PyGlobal g, PyTuple args, int n) throws CheckpointException {
        arity(g, args, n, n);
        if (!(args.get(0) instanceof TensorRef t)) {
            throw new CheckpointException(g + ": data is " + describe(args.get(0)) + ", not a tensor");
        }
        return t;
    }

    private static byte[] encode(PyGlobal g, PyTuple args) throws CheckpointException {
        arity(g, args, 2, 2);
        if (args.get(0) instanceof String s && args.get(1) instanceof String enc
                && (enc.equals("latin1") || enc.equals("latin-1"))) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) > 0xff) {
                    throw new CheckpointException(g + ": character beyond latin1 in " + s);
                }
            }
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }
        throw new CheckpointException(g + ": only (str, 'latin1') is supported, got " + args);
    }

    private static void arity(PyGlobal g, PyTuple args, int min, int max) throws CheckpointException {
        if (args.size() < min || args.size() > max) {
            throw new CheckpointException(g + ": expected " + (min == max ? min : min + " to " + max)
                    + " arguments, got " + args.size());
        }
    }

    private static PyTuple tupleArg(PyGlobal g, Object v, String what) throws CheckpointException {
        if (v instanceof PyTuple t) {
            return t;
        }
        throw new CheckpointException(g + ": " + what + " is " + describe(v) + ", not a tuple");
    }

    private static long[] longs(PyGlobal g, PyTuple t, String what) throws CheckpointException {
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = longArg(g, t.get(i), what);
        }
        return out;
    }

    private static long longArg(PyGlobal g, Object v, String what) throws CheckpointException {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof BigInteger) {
            throw new CheckpointException(g + ": " + what + " " + v + " does not fit in 64 bits");
        }
        throw new CheckpointException(g + ": " + what + " holds " + describe(v) + ", not an integer");
    }
}
