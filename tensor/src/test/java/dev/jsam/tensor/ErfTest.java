package dev.jsam.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The double erf against values from tables (Abramowitz and Stegun 7.1, to 15 digits). */
class ErfTest {
    @Test
    void matchesTabulatedValues() {
        assertEquals(0.0, Erf.erf(0.0));
        assertEquals(0.520499877813047, Erf.erf(0.5), 1e-15);
        assertEquals(0.842700792949715, Erf.erf(1.0), 1e-15);
        assertEquals(0.995322265018953, Erf.erf(2.0), 1e-15);
        assertEquals(0.999593047982555, Erf.erf(2.5), 1e-15);
        assertEquals(0.999977909503001, Erf.erf(3.0), 1e-15);
        assertEquals(-0.842700792949715, Erf.erf(-1.0), 1e-15);
        assertEquals(2.209049699858544e-05, Erf.erfc(3.0), 1e-19);
        assertEquals(1.541725790028002e-08, Erf.erfc(4.0), 1e-22);
        assertEquals(1.999977909503001, Erf.erfc(-3.0), 1e-15);
    }

    @Test
    void geluReferenceMatchesDefinition() {
        assertEquals(0.8413447460685429f, UnaryOp.GELU.reference(1f), 1e-7f);
        assertEquals(-0.15865525393145707f, UnaryOp.GELU.reference(-1f), 1e-7f);
        assertEquals(0f, UnaryOp.GELU.reference(0f));
    }
}
