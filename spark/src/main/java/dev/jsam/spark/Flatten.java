package dev.jsam.spark;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * An iterator over the outputs of each input in turn, computing them only when the previous
 * input's are used up: a partition's rows stream to the writer one image at a time.
 */
final class Flatten<I, O> implements Iterator<O> {
    private final Iterator<I> inputs;
    private final Function<I, ? extends Iterable<O>> outputs;
    private Iterator<O> current = Collections.emptyIterator();

    Flatten(Iterator<I> inputs, Function<I, ? extends Iterable<O>> outputs) {
        this.inputs = inputs;
        this.outputs = outputs;
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && inputs.hasNext()) {
            current = outputs.apply(inputs.next()).iterator();
        }
        return current.hasNext();
    }

    @Override
    public O next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }
}
