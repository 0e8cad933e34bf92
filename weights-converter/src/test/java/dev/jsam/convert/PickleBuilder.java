package dev.jsam.convert;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Test helper that emits pickle opcodes byte by byte, so tests can hand-build exactly the
 * pickles torch.save writes (and malicious or broken ones) without Python. Each method appends
 * one opcode or a small fixed sequence; it does no checking of its own.
 */
final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    byte[] bytes() {
        return out.toByteArray();
    }

    PickleBuilder op(int... raw) {
        for (int b : raw) {
            out.write(b);
        }
        return this;
    }

    private PickleBuilder le(long v, int n) {
        for (int i = 0; i < n; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    PickleBuilder proto(int p) {
        return op(0x80, p);
    }

    PickleBuilder frame(long len) {
        return op(0x95).le(len, 8);
    }

    PickleBuilder stop() {
        return op('.');
    }

    PickleBuilder mark() {
        return op('(');
    }

    PickleBuilder global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleBuilder stackGlobal(String module, String name) {
        return shortStr(module).shortStr(name).op(0x93);
    }

    PickleBuilder str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X').le(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    PickleBuilder shortStr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op(0x8c, b.length);
        out.writeBytes(b);
        return this;
    }

    PickleBuilder str8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op(0x8d).le(b.length, 8);
        out.writeBytes(b);
        return this;
    }

    PickleBuilder shortBytes(byte[] b) {
        op('C', b.length);
        out.writeBytes(b);
        return this;
    }

    PickleBuilder binBytes(byte[] b) {
        op('B').le(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    /** The shortest integer opcode, as Python picks it. */
    PickleBuilder integer(long v) {
        if (v >= 0 && v < 256) {
            return op('K', (int) v);
        }
        if (v >= 0 && v < 65536) {
            return op('M').le(v, 2);
        }
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            return op('J').le(v, 4);
        }
        return long1(BigInteger.valueOf(v));
    }

    PickleBuilder long1(BigInteger v) {
        byte[] be = v.toByteArray();
        op(0x8a, be.length);
        for (int i = be.length - 1; i >= 0; i--) {
            out.write(be[i]);
        }
        return this;
    }

    PickleBuilder binFloat(double d) {
        out.writeBytes(ByteBuffer.allocate(9).order(ByteOrder.BIG_ENDIAN).put((byte) 'G').putDouble(d).array());
        return this;
    }

    PickleBuilder none() {
        return op('N');
    }

    PickleBuilder bool(boolean b) {
        return op(b ? 0x88 : 0x89);
    }

    PickleBuilder tuple() {
        return op('t');
    }

    PickleBuilder emptyTuple() {
        return op(')');
    }

    PickleBuilder emptyDict() {
        return op('}');
    }

    PickleBuilder emptyList() {
        return op(']');
    }

    PickleBuilder setItem() {
        return op('s');
    }

    PickleBuilder setItems() {
        return op('u');
    }

    PickleBuilder reduce() {
        return op('R');
    }

    PickleBuilder binput(int i) {
        return op('q', i);
    }

    PickleBuilder binget(int i) {
        return op('h', i);
    }

    /** A tuple of ints: MARK ints TUPLE (what torch writes for size and stride). */
    PickleBuilder intTuple(long... values) {
        mark();
        for (long v : values) {
            integer(v);
        }
        return tuple();
    }

    /** An empty OrderedDict: GLOBAL collections.OrderedDict, EMPTY_TUPLE, REDUCE. */
    PickleBuilder orderedDict() {
        return global("collections", "OrderedDict").emptyTuple().reduce();
    }

    /** A zip-format persistent id ('storage', torch.TYPE, key, 'cpu', numel) and BINPERSID. */
    PickleBuilder storage(String type, String key, long numel) {
        return mark().str("storage").global("torch", type).str(key).str("cpu").integer(numel).tuple().op('Q');
    }

    /** _rebuild_tensor_v2 over a zip-format storage, as torch.save writes a tensor. */
    PickleBuilder tensor(String type, String key, long storageNumel, long offset, long[] size, long[] stride) {
        global("torch._utils", "_rebuild_tensor_v2").mark();
        storage(type, key, storageNumel);
        return integer(offset).intTuple(size).intTuple(stride).bool(false).orderedDict().tuple().reduce();
    }

    /** A contiguous tensor with the row-major strides of its size. */
    PickleBuilder tensor(String type, String key, long storageNumel, long... size) {
        long[] stride = new long[size.length];
        long s = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= size[i];
        }
        return tensor(type, key, storageNumel, 0, size, stride);
    }
}
