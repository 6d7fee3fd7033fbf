package org.sparsevd.job.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Reads the JSON Lines files sparsevd writes ({@code metrics.jsonl}, {@code sweep.jsonl}): one record a line. */
public final class JsonLines {
    private JsonLines() {
    }

    /**
     * One {@code type} per non-blank line of {@code text}; a bad line is an {@link OutputException} naming
     * {@code file}, the line number and {@code what} a line should be.
     */
    public static <T> List<T> read(ObjectMapper json, String text, Class<T> type, String file, String what) {
        List<T> records = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                records.add(json.readValue(lines[i], type));
            } catch (JsonProcessingException | RuntimeException e) {
                String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
                throw new OutputException(file + " line " + (i + 1) + " is not " + what + ": " + firstLine(why), e);
            }
        }
        return records;
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
