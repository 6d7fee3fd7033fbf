package org.sparsevd.job.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link OrderFreeSum}: the same bits whatever the order of the additions and of the merges of task updates. */
class OrderFreeSumTest {
    @Test
    void sameBitsWhateverTheOrderOfAdditionsAndMerges() {
        Random r = new Random(3);
        List<Double> addends = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            addends.add(r.nextDouble() * 2.5 * 100);                     // like per-minibatch loss · examples
        }
        Set<Long> naive = new HashSet<>();
        Set<Long> orderFree = new HashSet<>();
        for (int trial = 0; trial < 20; trial++) {
            Collections.shuffle(addends, r);
            double plain = 0;
            for (double a : addends) {
                plain += a;
            }
            naive.add(Double.doubleToLongBits(plain));
            // as Spark does: each task sums its own share, the driver merges the tasks in completion order
            List<OrderFreeSum> tasks = new ArrayList<>();
            for (int t = 0; t < 1 + trial % 5; t++) {
                tasks.add(new OrderFreeSum());
            }
            for (int i = 0; i < addends.size(); i++) {
                tasks.get(i % tasks.size()).add(addends.get(i));
            }
            Collections.shuffle(tasks, r);
            OrderFreeSum driver = new OrderFreeSum();
            tasks.forEach(driver::merge);
            orderFree.add(Double.doubleToLongBits(driver.value()));
        }
        assertTrue(naive.size() > 1, "the data should make a plain sum order-dependent, else this test proves nothing");
        assertEquals(1, orderFree.size(), "the order-free sum gave different bits");
    }

    @Test
    void copyResetAndIsZeroBehaveAsAnAccumulator() {
        OrderFreeSum s = new OrderFreeSum();
        assertTrue(s.isZero());
        s.add(1.5);
        s.add(2.0);
        OrderFreeSum c = s.copy();
        s.reset();
        assertTrue(s.isZero());
        assertEquals(0.0, s.value());
        assertEquals(3.5, c.value());
        assertNotEquals(s.value(), c.value());
    }
}
