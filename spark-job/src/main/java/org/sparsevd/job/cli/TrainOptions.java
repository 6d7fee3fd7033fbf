package org.sparsevd.job.cli;

import org.sparsevd.job.config.ClusterOptions;
import org.sparsevd.job.config.DataOptions;
import org.sparsevd.job.config.ModelOptions;
import org.sparsevd.job.config.ScheduleOptions;
import org.sparsevd.job.config.TrainConfig;
import picocli.CommandLine.Option;

/**
 * The options of one training run (data, model, schedule, cluster, output, seed), shared as a picocli mixin by the
 * commands that train. {@link #config()} turns them into the one validated {@link TrainConfig}. {@code --data} and
 * {@code --output} are checked there rather than by picocli, so that a command can take them from a file too
 * ({@code sweep --spec}).
 */
public final class TrainOptions {

    @Option(names = "--data", paramLabel = "URI", description = """
            (required) IDX: directory with train-images-idx3-ubyte, train-labels-idx1-ubyte (and t10k-* unless \
            --test-data is given), raw or .gz. CIFAR-10: the directory of data_batch_1..5.bin and test_batch.bin, or \
            cifar-10-binary.tar.gz.""")
    String data;

    @Option(names = "--dataset", defaultValue = "auto", description = """
            Format of --data: idx, cifar10, or auto (idx for lenet300/lenet5, cifar10 for vgglike/alexnet).""")
    String dataset;

    @Option(names = "--test-data", paramLabel = "URI", description = """
            Directory with the t10k-* IDX test files.""")
    String testData;

    @Option(names = "--output", paramLabel = "URI", description = """
            (required) Output directory; must not exist or be empty.""")
    String output;

    @Option(names = "--model", defaultValue = "lenet300", description = """
            Architecture: ${COMPLETION-CANDIDATES}.""",
            completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--variant", defaultValue = "sparsevd", description = """
            sparsevd (every weight layer Sparse VD), or a baseline of the same shape: plain, or dropout (binary \
            dropout on the inputs of the fully connected layers).""")
    String variant;

    @Option(names = "--dropout", defaultValue = "0.5", paramLabel = "P", description = """
            Dropout probability of --variant dropout.""")
    double dropout;

    @Option(names = "--width", defaultValue = "1.0", description = """
            Width multiplier of vgglike (every layer's channels times this).""")
    double width;

    @Option(names = "--init-from", paramLabel = "URI", description = """
            A model.zip of a trained network of the same architecture (e.g. --variant plain): its weights and biases \
            initialize this one; log sigma^2 starts at --log-sigma2-init.""")
    String initFrom;

    @Option(names = "--epochs", defaultValue = "20", description = """
            Passes over the training set.""")
    int epochs;

    @Option(names = "--limit-train", defaultValue = "0", paramLabel = "N", description = """
            Train on a seeded random subset of N examples (0: all).""")
    int limitTrain;

    @Option(names = "--random-labels", defaultValue = "0", paramLabel = "FRACTION", description = """
            Replace this fraction of the training labels by uniformly random ones (seeded; test labels are \
            untouched).""")
    double randomLabels;

    @Option(names = "--validation", defaultValue = "0", paramLabel = "N", description = """
            Hold out N examples of the training set (after --limit-train) for validation, stratified by class and \
            seeded, never trained on: a count, or a fraction in (0, 1); 0 for none. val_accuracy is then measured \
            after every epoch.""")
    double validation;

    @Option(names = "--augment", description = """
            Random crop (4-pixel padding) and horizontal flip of every training minibatch.""")
    boolean augment;

    @Option(names = "--workers", defaultValue = "2", description = """
            Parallel workers (Spark tasks): each computes on its share of every global minibatch.""")
    int workers;

    @Option(names = "--batch-size", defaultValue = "100", description = """
            Global minibatch size, split evenly over the workers (a multiple of --workers): each optimizer step fits \
            B/W examples per worker, so an epoch has N/B steps whatever the workers.""")
    int batchSize;

    @Option(names = "--sync", defaultValue = ClusterOptions.ALLREDUCE, description = """
            How the workers combine their work: allreduce (every step the workers' gradients are summed through the \
            driver and every worker applies the same Adam step: one JVM's model; needs --workers task slots at once), \
            or average (dl4j-spark parameter averaging every --averaging-frequency steps: less traffic, but with 2 or \
            more workers a less accurate model than one JVM's, 0.7 points behind with 2 workers and 1.5 with 4 on \
            8,000 Fashion-MNIST images).""")
    String sync;

    @Option(names = "--averaging-frequency", paramLabel = "F", description = """
            With --sync average only: optimizer steps each worker takes between parameter (and Adam state) \
            averagings (default\s""" + ClusterOptions.DEFAULT_AVERAGING_FREQUENCY + ").")
    Integer averagingFrequency;

    @Option(names = "--kl-weight", defaultValue = "1.0", description = """
            Target KL weight reached after the warm-up (1: the paper's SGVLB). Not for sweep, which takes \
            --kl-weights.""")
    double klWeight;

    @Option(names = "--kl-zero-epochs", defaultValue = "5", paramLabel = "Z", description = """
            Epochs with KL weight 0 before the ramp.""")
    int klZeroEpochs;

    @Option(names = "--kl-ramp-epochs", defaultValue = "15", paramLabel = "R", description = """
            Epochs of the linear ramp from 0 to --kl-weight W, starting at 0 (the paper's code): epoch k (counted from \
            1) trains with W * min(max(k - 1 - Z, 0) / R, 1), so the weight is 0 in epochs 1 to Z+1 and reaches W in \
            epoch Z+R+1 (defaults: 0 in epochs 1-6, 14/15 W in epoch 20, W from epoch 21; R = 0: W from epoch Z+1).""")
    int klRampEpochs;

    @Option(names = "--threshold", defaultValue = "3.0", description = """
            Mask threshold t: weights with log alpha >= t are zero at inference. Not for sweep, which takes \
            --thresholds.""")
    double threshold;

    @Option(names = "--lr", defaultValue = "0.001", description = """
            Adam learning rate.""")
    double lr;

    @Option(names = "--lr-decay", defaultValue = "constant", description = """
            Learning-rate schedule over epochs: constant, or linear (to --lr-final at the last epoch).""")
    String lrDecay;

    @Option(names = "--lr-final", defaultValue = "0.0", description = """
            Final learning rate of --lr-decay linear.""")
    double lrFinal;

    @Option(names = "--log-sigma2-init", defaultValue = "-10", description = """
            Initial log sigma^2 of every weight.""")
    double logSigma2Init;

    @Option(names = "--log-alpha-min", defaultValue = "-8", description = """
            Lower clip of log alpha.""")
    double logAlphaMin;

    @Option(names = "--log-alpha-max", defaultValue = "8", description = """
            Upper clip of log alpha.""")
    double logAlphaMax;

    @Option(names = "--seed", defaultValue = "42", description = """
            Seed of initialization, subsets, splits and noise.""")
    long seed;

    @Option(names = "--master", paramLabel = "URL", description = """
            Spark master (default: the one spark-submit set, else local[WORKERS] in this JVM).""")
    String master;

    /** Builds the validated configuration; throws {@code JobConfigException} naming the first bad option. */
    public TrainConfig config() {
        return new TrainConfig(
                new DataOptions(TrainConfig.location("--data", data),
                        testData == null ? null : TrainConfig.location("--test-data", testData), limitTrain,
                        dataset, randomLabels, augment, validation),
                new ModelOptions(model, variant, dropout, width,
                        initFrom == null ? null : TrainConfig.location("--init-from", initFrom), threshold,
                        logSigma2Init, logAlphaMin, logAlphaMax),
                new ScheduleOptions(epochs, lr, lrDecay, lrFinal, klWeight, klZeroEpochs, klRampEpochs),
                new ClusterOptions(master, workers, batchSize, sync,
                        averagingFrequency == null ? 0 : averagingFrequency),
                TrainConfig.location("--output", output), seed);
    }

    /** Completion candidates and help text for --model. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ModelOptions.MODELS.iterator();
        }
    }
}
