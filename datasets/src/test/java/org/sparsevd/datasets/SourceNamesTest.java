package org.sparsevd.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Credentials in a data URI never reach a message or a log line. */
class SourceNamesTest {

    @Test
    void dropsUserInfoOnly() {
        assertEquals("s3a://bucket/data/train-images-idx3-ubyte.gz",
                SourceNames.redact("s3a://AKIAKEY:secr+et@bucket/data/train-images-idx3-ubyte.gz"));
        assertEquals("hdfs://nn:8020/a and s3a://b/c", SourceNames.redact("hdfs://user@nn:8020/a and s3a://k:s@b/c"));
        assertEquals("file:/tmp/x@y/data", SourceNames.redact("file:/tmp/x@y/data"));
        assertEquals("/local/path", SourceNames.redact("/local/path"));
    }

    @Test
    void dropsQueryStringsWhereverAUriIsInTheText() {
        assertEquals("s3a://bucket/x", SourceNames.redact("s3a://K:S@bucket/x?X-Amz-Signature=abc&token=def"));
        assertEquals("--output file:///tmp/out exists and is a file",
                SourceNames.redact("--output file:///tmp/out?token=def exists and is a file"));
        assertEquals("Wrong FS: file://localhost/tmp/x#frag, expected: file:///",
                SourceNames.redact("Wrong FS: file://u:pw@localhost/tmp/x?k=v#frag, expected: file:///"));
        assertEquals("is it? yes: a.b?", SourceNames.redact("is it? yes: a.b?"), "no URI, nothing removed");
    }

    @Test
    void errorsAndDataSetsNameTheSourceWithoutCredentials() {
        DatasetException e = new DatasetException("s3a://KEY:SECRET@bucket/t10k-labels-idx1-ubyte", "file is empty");
        assertEquals("s3a://bucket/t10k-labels-idx1-ubyte: file is empty", e.getMessage());
        assertEquals("s3a://bucket/t10k-labels-idx1-ubyte", e.source());
        LabeledImages images = new LabeledImages("s3a://KEY:SECRET@bucket/train", new byte[4], new byte[1], 1, 2, 2, 10);
        assertEquals("s3a://bucket/train", images.source());
        DatasetException wrapped = new DatasetException("s3a://bucket/train", "cannot open s3a://K:S@bucket/train?t=x");
        assertEquals("s3a://bucket/train: cannot open s3a://bucket/train", wrapped.getMessage(),
                "the problem too, which may quote a file system's message");
    }
}
