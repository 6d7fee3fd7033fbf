package org.sparsevd.core.engine;

import java.util.List;
import java.util.Objects;

/**
 * A whole exported network: its input, its layers in order (each one's input shape the previous one's output shape),
 * a softmax over the last layer's outputs (the classes), and where it came from. Immutable (the layers' arrays are
 * handed over, not copied).
 *
 * @param input      the input shape and preprocessing
 * @param layers     at least one; the last one's output size is the number of classes
 * @param threshold  the log α threshold the kept weights were chosen with (NaN: the source network had none)
 * @param provenance a JSON object: the source run, its configuration, versions, seed, accuracy ({@code "{}"} if
 *                   unknown)
 */
public record NetworkSpec(InputSpec input, List<LayerSpec> layers, double threshold, String provenance) {
    public NetworkSpec {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(provenance, "provenance");
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        Shape shape = input.shape();
        for (LayerSpec l : layers) {
            if (l.in().size() != shape.size() || !(l instanceof LayerSpec.Dense) && !l.in().equals(shape)) {
                throw new IllegalArgumentException("layer " + l.name() + " takes " + l.in() + " but gets " + shape);
            }
            shape = l.out();
        }
        if (shape.size() < 2) {
            throw new IllegalArgumentException("the last layer must have at least 2 outputs (classes), got " + shape);
        }
    }

    /** The number of classes (the last layer's outputs). */
    public int classes() {
        return layers.get(layers.size() - 1).out().size();
    }
}
