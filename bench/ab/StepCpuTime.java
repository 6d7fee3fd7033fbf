import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.sparsevd.core.arch.ArchitectureSettings;
import org.sparsevd.core.arch.Lenet300;
import org.sparsevd.core.arch.Lenet5;
import org.sparsevd.core.arch.Variant;
import org.sparsevd.core.runtime.NativeThreads;
import org.nd4j.linalg.factory.Nd4j;
import org.sparsevd.datasets.IdxDataset;
import org.sparsevd.datasets.LabeledImages;
import org.sparsevd.datasets.Minibatches;
import org.sparsevd.datasets.TrainingSubset;

/**
 * CPU time (of the training thread; run with OMP_NUM_THREADS=1, so ND4J works on it) per training step of Sparse
 * VD LeNet-300-100 (or LeNet-5: MODEL lenet5), batch 100, real Fashion-MNIST: the best of REPEATS passes over
 * EXAMPLES after one warm-up pass.
 * Compiled by bench/ab/step-cpu-time.sh against each tree's classes, so it uses only API both trees have. CPU time
 * instead of wall time, because the shared machine's load would drown a 5% difference in wall time.
 */
public final class StepCpuTime {
    public static void main(String[] args) {
        String dir = args[0];
        int examples = Integer.parseInt(args[1]);
        int repeats = Integer.parseInt(args[2]);
        boolean lenet5 = args.length > 3 && args[3].equals("lenet5");
        NativeThreads.apply();
        LabeledImages train = IdxDataset.loadDirectory(new java.io.File(dir).toURI(), null,
                new org.apache.hadoop.conf.Configuration()).train();
        train = TrainingSubset.limit(train, examples, 1);
        List<DataSet> batches = Minibatches.of(train, 100, null);
        ArchitectureSettings settings = ArchitectureSettings.defaults(train.count());
        MultiLayerNetwork net = new MultiLayerNetwork(lenet5 ? Lenet5.of(settings, Variant.SPARSEVD, 0)
                : Lenet300.of(settings, Variant.SPARSEVD, 0));
        net.init();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double best = Double.MAX_VALUE;
        for (int r = -1; r < repeats; r++) {
            long t0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < batches.size(); i++) {
                Nd4j.getRandom().setSeed(i);                     // the layers' noise (NoiseSeed moved package)
                net.fit(batches.get(i));
            }
            double ms = (threads.getCurrentThreadCpuTime() - t0) / 1e6 / batches.size();
            if (r >= 0) {
                best = Math.min(best, ms);
            }
        }
        System.out.println(String.format(Locale.ROOT, "%.3f", best));
    }
}
