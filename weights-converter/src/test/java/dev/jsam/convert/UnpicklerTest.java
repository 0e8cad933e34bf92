package dev.jsam.convert;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each opcode's meaning, the allow-list, and refusal of malicious or broken pickles. */
class UnpicklerTest {

    static Object load(byte[] pickle) throws CheckpointException {
        return new Unpickler(new PickleInput(MemorySegment.ofArray(pickle), 0, "test.pkl"),
                pid -> new StorageRef(String.valueOf(pid), dev.jsam.tensor.DType.F32, 4, 0)).load();
    }

    static CheckpointException refused(PickleBuilder p, String... fragments) {
        CheckpointException e = assertThrows(CheckpointException.class, () -> load(p.bytes()));
        assertTrue(e.getMessage().startsWith("test.pkl at byte "), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "expected \"" + f + "\" in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void integersOfEveryWidth() throws CheckpointException {
        PickleBuilder p = new PickleBuilder().proto(2).mark()
                .integer(7).integer(300).integer(-5).integer(100000).integer(1L << 40).integer(-(1L << 40))
                .long1(BigInteger.ONE.shiftLeft(70)).op(0x8a, 0).op(0x8b, 2, 0, 0, 0, 0xff, 0x7f).tuple().stop();
        assertEquals(PyTuple.of(7L, 300L, -5L, 100000L, 1L << 40, -(1L << 40), BigInteger.ONE.shiftLeft(70), 0L, 32767L),
                load(p.bytes()));
    }

    @Test
    void scalarsStringsAndBytes() throws CheckpointException {
        PickleBuilder p = new PickleBuilder().proto(4).frame(40).mark()
                .binFloat(-1.5).none().bool(true).bool(false).str("é").shortStr("ab").str8("long")
                .shortBytes(new byte[] {1, 2}).binBytes(new byte[] {3}).op(0x8e).op(1, 0, 0, 0, 0, 0, 0, 0, 9)
                .op('U', 1, 'z').tuple().stop();
        PyTuple t = (PyTuple) load(p.bytes());
        assertEquals(-1.5, t.get(0));
        assertNull(t.get(1));
        assertEquals(true, t.get(2));
        assertEquals(false, t.get(3));
        assertEquals("é", t.get(4));
        assertEquals("ab", t.get(5));
        assertEquals("long", t.get(6));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) t.get(7));
        assertArrayEquals(new byte[] {3}, (byte[]) t.get(8));
        assertArrayEquals(new byte[] {9}, (byte[]) t.get(9));
        assertEquals("z", t.get(10));
    }

    @Test
    void containersAndMemo() throws CheckpointException {
        PickleBuilder p = new PickleBuilder().proto(5).emptyDict().binput(0).mark()
                .str("list").emptyList().op(0x94).mark().integer(1).integer(2).op('e').integer(3).op('a')
                .str("t1").integer(1).op(0x85)
                .str("t2").integer(1).integer(2).op(0x86)
                .str("t3").integer(1).integer(2).integer(3).op(0x87)
                .str("empty").emptyTuple()
                .str("again").op('j', 1, 0, 0, 0)
                .str("set").op(0x8f).mark().integer(4).op(0x90)
                .str("frozen").mark().integer(5).op(0x91)
                .str("dict").mark().str("k").none().op('d')
                .str("list2").mark().integer(6).op('l')
                .str("dup").integer(8).op('2').op(0x86)
                .setItems().str("late").integer(9).setItem().stop();
        Map<?, ?> m = assertInstanceOf(Map.class, load(p.bytes()));
        assertEquals(List.of(1L, 2L, 3L), m.get("list"));
        assertSame(m.get("list"), m.get("again"));
        assertEquals(PyTuple.of(1L), m.get("t1"));
        assertEquals(PyTuple.of(1L, 2L), m.get("t2"));
        assertEquals(PyTuple.of(1L, 2L, 3L), m.get("t3"));
        assertEquals(PyTuple.of(), m.get("empty"));
        assertEquals(Set.of(4L), m.get("set"));
        assertEquals(Set.of(5L), m.get("frozen"));
        assertTrue(((Map<?, ?>) m.get("dict")).containsKey("k"));
        assertEquals(new ArrayList<>(List.of(6L)), m.get("list2"));
        assertEquals(PyTuple.of(8L, 8L), m.get("dup"));
        assertEquals(9L, m.get("late"));
        assertEquals(List.of("list", "t1", "t2", "t3", "empty", "again", "set", "frozen", "dict", "list2", "dup", "late"),
                new ArrayList<>(m.keySet()));
    }

    @Test
    void popAndPopMark() throws CheckpointException {
        PickleBuilder p = new PickleBuilder().proto(2).integer(1).integer(2).op('0')
                .mark().integer(3).integer(4).op('1').stop();
        assertEquals(1L, load(p.bytes()));
    }

    @Test
    void allowedGlobalsHaveFixedMeanings() throws CheckpointException {
        PickleBuilder p = new PickleBuilder().proto(2).mark()
                .orderedDict()
                .global("collections", "OrderedDict").mark().emptyList().mark().str("a").integer(1).tuple().op('a')
                .tuple().reduce()
                .stackGlobal("collections", "OrderedDict").emptyTuple().op(0x81)
                .global("torch", "Size").mark().intTuple(2, 3).tuple().reduce()
                .global("_codecs", "encode").mark().str("\u00ff").str("latin1").tuple().reduce()
                .global("torch._utils", "_rebuild_parameter").mark()
                .tensor("FloatStorage", "k", 4, 0, new long[] {2, 2}, new long[] {1, 2}).bool(true).orderedDict().tuple().reduce()
                .tuple().stop();
        PyTuple t = (PyTuple) load(p.bytes());
        assertEquals(Map.of(), t.get(0));
        assertEquals(Map.of("a", 1L), t.get(1));
        assertEquals(Map.of(), t.get(2));
        assertEquals(PyTuple.of(2L, 3L), t.get(3));
        assertArrayEquals(new byte[] {(byte) 0xff}, (byte[]) t.get(4));
        TensorRef tensor = assertInstanceOf(TensorRef.class, t.get(5));
        assertArrayEquals(new long[] {2, 2}, tensor.size());
        assertArrayEquals(new long[] {1, 2}, tensor.stride());
        assertEquals(dev.jsam.tensor.DType.F32, tensor.storage().dtype());
    }

    @Test
    void buildIsIgnoredOnDictsAndRefusedElsewhere() throws CheckpointException {
        PickleBuilder ok = new PickleBuilder().proto(2).orderedDict().emptyDict().str("_metadata").emptyDict()
                .setItem().op('b').stop();
        assertEquals(Map.of(), load(ok.bytes()));
        refused(new PickleBuilder().proto(2).emptyList().emptyDict().op('b').stop(), "refusing BUILD");
    }

    @Test
    void refusesDangerousGlobals() {
        refused(new PickleBuilder().proto(2).global("os", "system").str("rm -rf /").op(0x85).reduce().stop(),
                "refusing global os.system");
        refused(new PickleBuilder().proto(4).stackGlobal("builtins", "eval").str("1").op(0x85).reduce().stop(),
                "refusing global builtins.eval");
        refused(new PickleBuilder().proto(2).global("__main__", "Evil").emptyTuple().op(0x81).stop(),
                "refusing global __main__.Evil");
        refused(new PickleBuilder().proto(2).global("torch", "load").stop(), "refusing global torch.load");
        refused(new PickleBuilder().proto(2).global("subprocess", "Popen").stop(), "refusing global subprocess.Popen");
        refused(new PickleBuilder().proto(2).global("torch._utils", "_rebuild_qtensor").stop(), "torch._utils._rebuild_qtensor");
    }

    @Test
    void refusesCallingOrInstantiatingWhatIsNotCallable() {
        refused(new PickleBuilder().proto(2).global("torch", "FloatStorage").emptyTuple().reduce().stop(),
                "refusing to call torch.FloatStorage");
        refused(new PickleBuilder().proto(2).global("torch", "Size").emptyTuple().op(0x81).stop(),
                "refusing to instantiate torch.Size");
        refused(new PickleBuilder().proto(2).str("x").emptyTuple().reduce().stop(), "refusing to call a String value");
        refused(new PickleBuilder().proto(2).global("_codecs", "encode").mark().str("x").str("rot13").tuple().reduce().stop(),
                "only (str, 'latin1')");
    }

    @Test
    void refusesInstantiatingAndExtensionOpcodes() {
        refused(new PickleBuilder().proto(2).mark().op('i').stop(), "INST/OBJ");
        refused(new PickleBuilder().proto(2).mark().op('o').stop(), "INST/OBJ");
        refused(new PickleBuilder().proto(2).op(0x82, 1).stop(), "EXT");
        refused(new PickleBuilder().proto(5).op(0x97).stop(), "out-of-band");
        refused(new PickleBuilder().proto(2).op('P').stop(), "unsupported pickle opcode 0x50");
    }

    @Test
    void refusesBrokenPickles() {
        refused(new PickleBuilder().proto(1).none().stop(), "protocol 1");
        refused(new PickleBuilder().proto(6).none().stop(), "protocol 6");
        refused(new PickleBuilder().proto(2).binget(3).stop(), "memo key 3");
        refused(new PickleBuilder().proto(2).op('t').stop(), "no MARK");
        refused(new PickleBuilder().proto(2).mark().op('0').stop(), "stack underflow");
        refused(new PickleBuilder().proto(2).setItem().stop(), "stack underflow");
        refused(new PickleBuilder().proto(2).op('X', 0xff, 0xff, 0xff, 0x00).stop(), "truncated pickle");
        refused(new PickleBuilder().proto(2).integer(1).integer(2).stop(), "STOP with 2 values");
        refused(new PickleBuilder().proto(2).integer(1), "truncated pickle");
        refused(new PickleBuilder().proto(2).op(0x8c, 2, 0xc3, 0x28).stop(), "not valid UTF-8");
        refused(new PickleBuilder().proto(2).integer(0).integer(1).integer(2).setItem().stop(), "SETITEM on a Long value, not a dict");
        refused(new PickleBuilder().proto(2).op('c').op('o', 's', 0, '\n').stop(), "malformed GLOBAL");
    }
}
