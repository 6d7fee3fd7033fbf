package org.sparsevd.job.metrics;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.OptBoolean;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component of a metrics file that was added after files without it were written: read with
 * {@code Json.readingMapper()}, which otherwise requires every field, a file that lacks it reads as null. Only the
 * record's constructor parameter carries it (its target), where Jackson injects the null ({@link #ID}).
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@JacksonAnnotationsInside
@JacksonInject(value = AbsentInOlderFiles.ID, useInput = OptBoolean.TRUE)
public @interface AbsentInOlderFiles {
    /** The injectable value {@code Json.readingMapper()} gives such a field (null) when the file lacks it. */
    String ID = "sparsevd-absent";
}
