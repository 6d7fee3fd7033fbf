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
 * Every log line at INFO and above, with its stack trace, while open; the loggers {@code deploy/bin/sparsevd}'s
 * logging configuration ({@code deploy/conf/log4j2.properties}) sets a level for at that level, as the launcher
 * prints them.
 */
final class CapturedLogs implements AutoCloseable {
    private final StringWriter text = new StringWriter();
    private final LoggerContext context;
    private final WriterAppender appender;
    private final Level rootLevel;
    private final java.util.List<String> configured = new java.util.ArrayList<>();

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
        java.util.Properties launcher = new java.util.Properties();
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("../deploy/conf/log4j2.properties"))) {
            launcher.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the launcher's logging configuration", e);
        }
        for (String key : launcher.stringPropertyNames()) {
            if (key.startsWith("logger.") && key.endsWith(".name")) {
                String name = launcher.getProperty(key);
                String level = launcher.getProperty(key.substring(0, key.length() - ".name".length()) + ".level");
                if (context.getConfiguration().getLoggers().get(name) == null) {
                    context.getConfiguration().addLogger(name, new LoggerConfig(name, Level.toLevel(level), true));
                    configured.add(name);
                }
            }
        }
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
        configured.forEach(context.getConfiguration()::removeLogger);
        context.updateLoggers();
        appender.stop();
    }
}
