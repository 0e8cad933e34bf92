package dev.jsam.convert;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Python tuple read from a pickle: an immutable list that may hold nulls (Python None).
 * Equality is element-wise, so tuples work as dict keys. Nothing more than that.
 */
record PyTuple(List<Object> items) {
    PyTuple {
        items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    static PyTuple of(Object... items) {
        List<Object> list = new ArrayList<>(items.length);
        Collections.addAll(list, items);
        return new PyTuple(list);
    }

    int size() {
        return items.size();
    }

    Object get(int i) {
        return items.get(i);
    }

    @Override
    public String toString() {
        return "(" + String.join(", ", items.stream().map(String::valueOf).toList()) + ")";
    }
}
