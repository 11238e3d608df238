package dev.ivvycontact.testsupport;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The published JSON Schemas of the output topics, as the jar ships them (classpath schemas/). */
public enum OutputSchemas {
    CONTACT("contact"), REGISTRATION("registration"), INVOICE("invoice"), INVITATION("invitation");

    private final Schema schema;

    OutputSchemas(String name) {
        String path = "/schemas/" + name + ".schema.json";
        try (InputStream in = OutputSchemas.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the classpath");
            }
            schema = Registry.INSTANCE.getSchema(in, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Held apart: an enum's constructor can't read the enum's own static fields. */
    private static final class Registry {
        static final SchemaRegistry INSTANCE = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    }

    /** What in {@code value} breaks the contract; empty when it keeps it. */
    public List<String> violations(byte[] value) {
        List<Error> errors = schema.validate(new String(value, StandardCharsets.UTF_8), InputFormat.JSON);
        return errors.stream().map(Error::toString).toList();
    }
}
