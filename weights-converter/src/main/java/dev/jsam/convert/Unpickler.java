package dev.jsam.convert;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A restricted interpreter for pickle protocols 2 to 5, enough for PyTorch checkpoints. Values
 * become plain Java data (Map, List, PyTuple, String, Long/BigInteger, Double, Boolean, byte[],
 * null for None); globals go through {@link TorchGlobals}' allow-list and persistent ids through
 * the caller's loader. Protocol 0/1 text opcodes, INST/OBJ, extensions and out-of-band buffers
 * are refused. It never executes or instantiates anything named by the file.
 */
final class Unpickler {
    /** Turns a persistent id (BINPERSID) into a value, normally a {@link StorageRef}. */
    interface PersistentLoader {
        Object load(Object pid) throws CheckpointException;
    }

    private static final Object MARK = new Object();

    private final PickleInput in;
    private final PersistentLoader loader;
    private final List<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private long opAt;

    Unpickler(PickleInput in, PersistentLoader loader) {
        this.in = in;
        this.loader = loader;
    }

    /** Runs until STOP and returns the pickled value; the input is left just after STOP. */
    Object load() throws CheckpointException {
        try {
            while (true) {
                opAt = in.position();
                int op = in.u8();
                if (op == '.') {
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw fail("STOP with " + stack.size() + " values on the stack");
                    }
                    return stack.removeLast();
                }
                step(op);
            }
        } catch (ClassCastException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw fail("malformed pickle (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        } catch (CheckpointException e) {
            if (e.getMessage().startsWith(in.source())) {
                throw e;
            }
            throw fail(e.getMessage());
        }
    }

    private CheckpointException fail(String what) {
        return in.error(opAt, what);
    }

    private void step(int op) throws CheckpointException {
        switch (op) {
            case 0x80 -> {
                int proto = in.u8();
                if (proto < 2 || proto > 5) {
                    throw fail("unsupported pickle protocol " + proto + " (expected 2 to 5)");
                }
            }
            case 0x95 -> {
                long len = in.i64();
                if (len < 0 || len > Long.MAX_VALUE - in.position()) {
                    throw fail("bad FRAME length " + len);
                }
            }
            case '(' -> {
                marks.push(stack.size());
                stack.add(MARK);
            }
            case '0' -> pop();
            case '1' -> popMark();
            case '2' -> push(peek());
            case '}' -> push(new LinkedHashMap<Object, Object>());
            case ']' -> push(new ArrayList<Object>());
            case ')' -> push(PyTuple.of());
            case 0x8f -> push(new LinkedHashSet<Object>());
            case 't' -> push(new PyTuple(popMark()));
            case 0x85 -> push(PyTuple.of(pop()));
            case 0x86 -> {
                Object b = pop();
                push(PyTuple.of(pop(), b));
            }
            case 0x87 -> {
                Object c = pop();
                Object b = pop();
                push(PyTuple.of(pop(), b, c));
            }
            case 'l' -> push(new ArrayList<>(popMark()));
            case 'd' -> {
                List<Object> items = popMark();
                Map<Object, Object> map = new LinkedHashMap<>();
                setItems(map, items);
                push(map);
            }
            case 0x91 -> push(Collections.unmodifiableSet(new LinkedHashSet<>(popMark())));
            case 'X' -> push(in.utf8(in.u32()));
            case 0x8c -> push(in.utf8(in.u8()));
            case 0x8d -> push(in.utf8(in.i64()));
            case 'U' -> push(new String(in.bytes(in.u8()), StandardCharsets.ISO_8859_1));
            case 'T' -> push(new String(in.bytes(in.u32()), StandardCharsets.ISO_8859_1));
            case 'C' -> push(in.bytes(in.u8()));
            case 'B' -> push(in.bytes(in.u32()));
            case 0x8e, 0x96 -> push(in.bytes(in.i64()));
            case 'c' -> {
                String module = in.line();
                push(TorchGlobals.resolve(module, in.line()));
            }
            case 0x93 -> {
                Object name = pop();
                Object module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) {
                    throw fail("STACK_GLOBAL needs two strings");
                }
                push(TorchGlobals.resolve(m, n));
            }
            case 'q' -> memo.put((long) in.u8(), peek());
            case 'r' -> memo.put(in.u32(), peek());
            case 0x94 -> memo.put((long) memo.size(), peek());
            case 'h' -> push(memoGet(in.u8()));
            case 'j' -> push(memoGet(in.u32()));
            case 'J' -> push((long) in.i32());
            case 'K' -> push((long) in.u8());
            case 'M' -> push((long) in.u16());
            case 0x8a -> push(longFrom(in.bytes(in.u8())));
            case 0x8b -> {
                long n = in.u32();
                if (n > 1024) {
                    throw fail("LONG4 of " + n + " bytes is implausibly long");
                }
                push(longFrom(in.bytes(n)));
            }
            case 'G' -> push(in.f64BigEndian());
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 's' -> {
                Object v = pop();
                Object k = pop();
                asMap(peek(), "SETITEM").put(k, v);
            }
            case 'u' -> {
                List<Object> items = popMark();
                setItems(asMap(peek(), "SETITEMS"), items);
            }
            case 'a' -> {
                Object v = pop();
                asList(peek(), "APPEND").add(v);
            }
            case 'e' -> {
                List<Object> items = popMark();
                asList(peek(), "APPENDS").addAll(items);
            }
            case 0x90 -> {
                List<Object> items = popMark();
                if (!(peek() instanceof Set<?>)) {
                    throw fail("ADDITEMS on " + TorchGlobals.describe(peek()));
                }
                @SuppressWarnings("unchecked")
                Collection<Object> set = (Collection<Object>) peek();
                set.addAll(items);
            }
            case 'R' -> {
                PyTuple args = tuple(pop(), "REDUCE");
                push(TorchGlobals.call(pop(), args));
            }
            case 0x81 -> {
                PyTuple args = tuple(pop(), "NEWOBJ");
                push(TorchGlobals.newObject(pop(), args));
            }
            case 0x92 -> {
                Object kwargs = pop();
                PyTuple args = tuple(pop(), "NEWOBJ_EX");
                if (!(kwargs instanceof Map<?, ?> kw) || !kw.isEmpty()) {
                    throw fail("NEWOBJ_EX with keyword arguments is not supported");
                }
                push(TorchGlobals.newObject(pop(), args));
            }
            case 'b' -> {
                pop();
                build(peek());
            }
            case 'Q' -> push(loader.load(pop()));
            case 'i', 'o' -> throw fail("refusing INST/OBJ opcode (arbitrary instantiation)");
            case 0x82, 0x83, 0x84 -> throw fail("refusing EXT opcode (copyreg extension registry)");
            case 0x97, 0x98 -> throw fail("out-of-band buffers (protocol 5 NEXT_BUFFER) are not supported");
            default -> throw fail(String.format("unsupported pickle opcode 0x%02x", op));
        }
    }

    /** BUILD sets attributes: ignored on dicts (state_dict _metadata) and tensors, refused elsewhere. */
    private void build(Object target) throws CheckpointException {
        if (!(target instanceof Map<?, ?>) && !(target instanceof TensorRef)) {
            throw fail("refusing BUILD (setstate) on " + TorchGlobals.describe(target));
        }
    }

    private static Object longFrom(byte[] littleEndian) {
        if (littleEndian.length == 0) {
            return 0L;
        }
        byte[] be = new byte[littleEndian.length];
        for (int i = 0; i < be.length; i++) {
            be[i] = littleEndian[be.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private void setItems(Map<Object, Object> map, List<Object> items) throws CheckpointException {
        if (items.size() % 2 != 0) {
            throw fail("odd number of items for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            map.put(items.get(i), items.get(i + 1));
        }
    }

    private Object memoGet(long key) throws CheckpointException {
        if (!memo.containsKey(key)) {
            throw fail("memo key " + key + " was never stored");
        }
        return memo.get(key);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> asMap(Object v, String op) throws CheckpointException {
        if (v instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw fail(op + " on " + TorchGlobals.describe(v) + ", not a dict");
    }

    @SuppressWarnings("unchecked")
    private List<Object> asList(Object v, String op) throws CheckpointException {
        if (v instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw fail(op + " on " + TorchGlobals.describe(v) + ", not a list");
    }

    private PyTuple tuple(Object v, String op) throws CheckpointException {
        if (v instanceof PyTuple t) {
            return t;
        }
        throw fail(op + " arguments are " + TorchGlobals.describe(v) + ", not a tuple");
    }

    private void push(Object v) {
        stack.add(v);
    }

    private Object peek() throws CheckpointException {
        if (stack.isEmpty() || stack.getLast() == MARK) {
            throw fail("stack underflow");
        }
        return stack.getLast();
    }

    private Object pop() throws CheckpointException {
        Object v = peek();
        stack.removeLast();
        return v;
    }

    private List<Object> popMark() throws CheckpointException {
        if (marks.isEmpty()) {
            throw fail("no MARK on the stack");
        }
        int at = marks.pop();
        List<Object> items = new ArrayList<>(stack.subList(at + 1, stack.size()));
        stack.subList(at, stack.size()).clear();
        return items;
    }
}
