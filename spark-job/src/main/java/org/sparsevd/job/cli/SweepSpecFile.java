package org.sparsevd.job.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sparsevd.job.config.JobConfigException;
import org.sparsevd.job.output.Json;
import org.sparsevd.job.output.Provenance;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A sweep spec file: a YAML (or, for a {@code .json} name, JSON) mapping from option names of {@code sparsevd sweep}
 * to values, e.g. {@code kl-weights: [0.1, 0.3, 1]}, {@code epochs: 20}; {@code kl_weights} is accepted for
 * {@code kl-weights}. It is turned into the command-line arguments it stands for, so every value is checked exactly
 * as on the command line, and options given there (placed after these) override the file.
 */
final class SweepSpecFile {
    private SweepSpecFile() {
    }

    /** Reads the file at {@code file} (any Hadoop FileSystem) and returns its {@code --name=value} arguments. */
    static List<String> arguments(URI file, Configuration conf, CommandSpec options) {
        String where = "--spec " + Provenance.redact(file);
        return arguments(parse(read(file, conf, where), file.getPath().endsWith(".json"), where), options, where);
    }

    static List<String> arguments(JsonNode root, CommandSpec options, String where) {
        if (root == null || !root.isObject()) {
            throw new JobConfigException(where + " must be a mapping of option names to values, e.g. "
                    + "'kl-weights: [0.1, 0.3, 1]'");
        }
        List<String> args = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            String name = "--" + key.replace('_', '-');
            OptionSpec option = options.findOption(name);
            if (option == null || option.usageHelp() || option.versionHelp()) {
                throw new JobConfigException(where + ": unknown key '" + key + "' (keys are the long options of "
                        + "'sparsevd sweep' without the dashes, e.g. kl-weights, thresholds, data, epochs)");
            }
            args.add(name + "=" + value(field.getValue(), option.isMultiValue(), where + ": key '" + key + "'"));
        }
        return args;
    }

    private static String value(JsonNode v, boolean list, String what) {
        if (v.isNull()) {
            throw new JobConfigException(what + " has no value");
        }
        if (v.isArray()) {
            if (!list) {
                throw new JobConfigException(what + " takes one value, not a list");
            }
            List<String> items = new ArrayList<>();
            for (JsonNode item : v) {
                items.add(scalar(item, what));
            }
            return String.join(",", items);
        }
        return scalar(v, what);
    }

    private static String scalar(JsonNode v, String what) {
        if (!v.isValueNode() || v.isNull()) {
            throw new JobConfigException(what + " must be a number or text, got " + v);
        }
        return v.asText();
    }

    private static JsonNode parse(String text, boolean json, String where) {
        ObjectMapper mapper = json ? new ObjectMapper() : new YAMLMapper();
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new JobConfigException(where + " is not valid " + (json ? "JSON" : "YAML") + ": "
                    + Json.firstLine(e.getOriginalMessage())
                    + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")"));
        }
    }

    private static String read(URI file, Configuration conf, String where) {
        try {
            FileSystem fs = FileSystem.get(file, conf);
            Path path = new Path(file);
            if (fs.getFileStatus(path).isDirectory()) {
                throw new JobConfigException(where + " is a directory, not a spec file");
            }
            try (InputStream in = fs.open(path)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (FileNotFoundException e) {
            throw new JobConfigException(where + " does not exist");
        } catch (IOException e) {
            throw new JobConfigException(where + " cannot be read: " + Json.firstLine(e.getMessage()));
        }
    }
}
