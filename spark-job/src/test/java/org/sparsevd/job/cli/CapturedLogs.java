package org.sparsevd.job.cli;

import java.io.StringWriter;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.SparkConf;

/**
 * Every log line at INFO and above (what {@code deploy/bin/sparsevd} prints of sparsevd's own logging, and more), with
 * its stack trace, while open.
 */
final class CapturedLogs implements AutoCloseable {
    private final StringWriter text = new StringWriter();
    private final LoggerContext context;
    private final WriterAppender appender;
    private final Level rootLevel;

    CapturedLogs() {
        // Spark replaces log4j's default configuration the first time it logs: let it do so now, not while capturing.
        new SparkConf(false).initializeLogIfNecessary(false, true);
        context = (LoggerContext) LogManager.getContext(false);
        appender = WriterAppender.newBuilder().setName("captured-" + UUID.randomUUID()).setTarget(text)
                .setLayout(PatternLayout.newBuilder().withPattern("%p %c: %m%n%throwable").build()).build();
        appender.start();
        LoggerConfig root = context.getConfiguration().getRootLogger();
        rootLevel = root.getLevel();
        root.addAppender(appender, Level.INFO, null);
        root.setLevel(Level.INFO);
        context.updateLoggers();
    }

    String text() {
        return text.toString();
    }

    @Override
    public void close() {
        LoggerConfig root = context.getConfiguration().getRootLogger();
        root.removeAppender(appender.getName());
        root.setLevel(rootLevel);
        context.updateLoggers();
        appender.stop();
    }
}
