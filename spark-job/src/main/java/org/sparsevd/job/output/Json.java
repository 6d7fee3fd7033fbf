package org.sparsevd.job.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializerBase;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.sparsevd.job.metrics.AbsentInOlderFiles;

/**
 * The JSON every sparsevd file is written and read with: one mapper configuration, JSON Lines
 * ({@code metrics.jsonl}, {@code sweep.jsonl}: one record a line), pretty records ({@code run.json},
 * {@code sweep.json}, {@code best.json}) and the comparison of a recorded configuration with a given one.
 */
public final class Json {
    private static final ObjectMapper READING = readingMapper();

    private Json() {
    }

    /**
     * The mapper every sparsevd JSON file is written with: snake_case names, no indentation, map entries in key order
     * (a record's fields in declaration order), so the same values are always the same bytes, and URIs written
     * without credentials ({@link Provenance#redact}).
     */
    public static ObjectMapper mapper() {
        SimpleModule redaction = new SimpleModule("sparsevd-uri-redaction");
        redaction.addSerializer(URI.class, new ToStringSerializerBase(URI.class) {
            @Override
            public String valueToString(Object value) {
                return Provenance.redact((URI) value);
            }
        });
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .registerModule(redaction);
    }

    /**
     * The mapper sparsevd JSON files are read with: the writer's naming, every field of a record must be present
     * (but those marked {@link AbsentInOlderFiles}, null when absent), unknown fields are ignored.
     */
    public static ObjectMapper readingMapper() {
        return mapper()
                .setInjectableValues(new InjectableValues.Std().addValue(AbsentInOlderFiles.ID, null))
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * One {@code type} per non-blank line of {@code text}; a bad line is an {@link OutputException} naming
     * {@code file}, the line number and {@code what} a line should be.
     */
    public static <T> List<T> readLines(String text, Class<T> type, String file, String what) {
        List<T> records = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                records.add(READING.readValue(lines[i], type));
            } catch (JsonProcessingException | RuntimeException e) {
                String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
                throw new OutputException(file + " line " + (i + 1) + " is not " + what + ": " + firstLine(why), e);
            }
        }
        return records;
    }

    /** The JSON tree of {@code text}; invalid JSON is an {@link OutputException} naming {@code file}. */
    public static JsonNode parse(String text, String file) {
        try {
            return READING.readTree(text);
        } catch (JsonProcessingException e) {
            throw new OutputException(file + " is not valid JSON: " + firstLine(e.getOriginalMessage()), e);
        }
    }

    /** {@code value} as indented JSON with a final line break, for the files people read ({@code run.json}). */
    public static String pretty(Object value) {
        try {
            return mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(value.getClass().getSimpleName() + " is not serializable", e);
        }
    }

    /**
     * One setting that differs between a recorded configuration and a given one.
     *
     * @param path     the setting's dotted path ({@code schedule.epochs})
     * @param recorded its recorded value, a missing node if it was not recorded
     * @param given    its given value, a missing node if it is not given
     */
    public record Difference(String path, JsonNode recorded, JsonNode given) {
    }

    /**
     * The settings in which {@code recorded} and {@code given} differ, compared field by field through nested
     * objects: the recorded fields in their order, then the fields only {@code given} has.
     */
    public static List<Difference> diff(JsonNode recorded, JsonNode given) {
        List<Difference> out = new ArrayList<>();
        diff("", recorded, given, out);
        return out;
    }

    private static void diff(String path, JsonNode recorded, JsonNode given, List<Difference> out) {
        if (recorded.isObject() && given.isObject()) {
            List<String> names = new ArrayList<>();
            recorded.fieldNames().forEachRemaining(names::add);
            for (Iterator<String> it = given.fieldNames(); it.hasNext(); ) {
                String n = it.next();
                if (!names.contains(n)) {
                    names.add(n);
                }
            }
            for (String n : names) {
                diff(path.isEmpty() ? n : path + "." + n, recorded.path(n), given.path(n), out);
            }
        } else if (!recorded.equals(given)) {
            out.add(new Difference(path, recorded, given));
        }
    }

    /** The first line of a (possibly multi-line) message. */
    public static String firstLine(String s) {
        if (s == null) {
            return "(no details)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
