package dev.nanodb.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON in NanoDB's value model: objects become {@code LinkedHashMap<String, Object>} (key order kept), arrays
 * {@code ArrayList}, numbers a {@code Long} when integral and within ±2^53 (exactly representable, like a
 * JavaScript number) else a {@code Double}, so that {@code 1} and {@code 1.0} are one value everywhere — in
 * records, filters and index keys.
 *
 * <p>Parsing is streaming and bounded: nesting deeper than {@link #MAX_DEPTH}, strings longer than
 * {@link #MAX_STRING}, numbers of more than {@link #MAX_NUMBER_DIGITS} characters or outside the double range
 * ({@code 1e400}: JSON has no infinity, and a stored infinity could not be written back as JSON), duplicate keys
 * and trailing content are refused with {@link JsonException}, whose message is safe to show to a client.
 * The body size is limited before parsing ({@code MAX_BODY_SIZE}), so these limits bound what one body costs.
 */
public final class Json {
    public static final int MAX_DEPTH = 32;
    public static final int MAX_STRING = 1 << 20;
    public static final int MAX_NUMBER_DIGITS = 100;
    private static final double SAFE_INT = 9007199254740992d;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH + 1).maxStringLength(MAX_STRING).maxNumberLength(MAX_NUMBER_DIGITS).build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** For data this process wrote itself (stored records): only the structural limits, no size limits. */
    private static final JsonFactory STORED = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH + 1).maxStringLength(Integer.MAX_VALUE).maxNumberLength(1000).build())
            .build();

    private Json() {}

    /** Parses a JSON object this process stored earlier; input limits were applied when it was written. */
    public static Map<String, Object> parseStored(byte[] bytes) {
        try (JsonParser p = STORED.createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) throw new JsonException("Expected a JSON object.");
            @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) read(p, t, 0, false);
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One top-level member of a stored object, without building the rest: the other members are skipped by the
     * tokenizer. Null when the member is absent. Used to evaluate a rule or check a token key on a record that is
     * otherwise only passed through.
     */
    public static Object storedField(byte[] bytes, String name) {
        try (JsonParser p = STORED.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new JsonException("Expected a JSON object.");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String member = p.currentName();
                JsonToken t = p.nextToken();
                if (member.equals(name)) return read(p, t, 0, false);
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client-safe description of why a document is not acceptable JSON. */
    public static final class JsonException extends RuntimeException {
        public JsonException(String message) {
            super(message, null, false, false);
        }
    }

    public static Map<String, Object> parseObject(byte[] bytes) {
        Object v = parse(bytes);
        if (!(v instanceof Map)) throw new JsonException("Expected a JSON object.");
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) v;
        return m;
    }

    public static Object parse(byte[] bytes) {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new JsonException("The request body is empty; a JSON value was expected.");
            Object v = read(p, t, 0, true);
            if (p.nextToken() != null) throw new JsonException("Unexpected content after the JSON value.");
            return v;
        } catch (JsonException e) {
            throw e;
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new JsonException("The JSON document exceeds a limit: nesting deeper than " + MAX_DEPTH
                    + ", a string longer than " + MAX_STRING + " characters or a number longer than " + MAX_NUMBER_DIGITS + ".");
        } catch (IOException e) {
            throw new JsonException("Malformed JSON: " + shortReason(e));
        }
    }

    /** Jackson's reason without its location suffix or its hints about parser features (internal names). */
    private static String shortReason(IOException e) {
        String m = e.getMessage() == null ? "invalid input" : e.getMessage();
        for (String cut : new String[] {"\n", " at [Source", ": enable `", " (start marker", "; enable `"}) {
            int at = m.indexOf(cut);
            if (at >= 0) m = m.substring(0, at);
        }
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    /** {@code strict}: a request's document, whose strings must be {@link #wellFormed}; stored ones are read as they are. */
    private static Object read(JsonParser p, JsonToken t, int depth, boolean strict) throws IOException {
        if (depth > MAX_DEPTH) throw new JsonException("The JSON document is nested more than " + MAX_DEPTH + " levels deep.");
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = strict ? wellFormed(p.currentName()) : p.currentName();
                    m.put(name, read(p, p.nextToken(), depth + 1, strict));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) l.add(read(p, e, depth + 1, strict));
                return l;
            }
            case VALUE_STRING: return strict ? wellFormed(p.getText()) : p.getText();
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) return normalize(finite(p.getDoubleValue()));
                return normalize(p.getLongValue());
            case VALUE_NUMBER_FLOAT: return normalize(finite(p.getDoubleValue()));
            case VALUE_TRUE: return Boolean.TRUE;
            case VALUE_FALSE: return Boolean.FALSE;
            case VALUE_NULL: return null;
            default: throw new JsonException("Unexpected JSON token " + t + ".");
        }
    }

    /**
     * Refuses a string with an unpaired surrogate, which only a {@code \\uD800}-style escape can produce: it is
     * not Unicode, PostgreSQL's text cannot hold it, and both backends must accept the same data (LMDB can store
     * one, and still reads those stored before this check through {@link #parseStored}).
     */
    private static String wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (!Character.isSurrogate(ch)) continue;
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            throw new JsonException("A string holds an unpaired surrogate escape (\\u" + Integer.toHexString(ch).toUpperCase()
                    + "); only whole Unicode characters can be stored.");
        }
        return s;
    }

    private static double finite(double d) {
        if (!Double.isFinite(d)) throw new JsonException("A number is out of range (beyond ±1.8e308).");
        return d;
    }

    /** A number in the value model: Long when integral and exactly representable as a double, else Double. */
    public static Number normalize(Number n) {
        if (n instanceof Long l) {
            return Math.abs((double) l) <= SAFE_INT ? l : (Number) l.doubleValue();
        }
        if (n instanceof Integer || n instanceof Short || n instanceof Byte) return n.longValue();
        double d = n.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) <= SAFE_INT) return (long) d;
        return d;
    }

    public static byte[] write(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writeValue(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static String writeString(Object value) {
        return new String(write(value), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static void writeValue(JsonGenerator g, Object v) throws IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Long l -> g.writeNumber(l);
            case Integer i -> g.writeNumber(i);
            case Double d -> g.writeNumber(d);
            case Number n -> g.writeNumber(n.doubleValue());
            case Boolean b -> g.writeBoolean(b);
            case Map<?, ?> m -> {
                g.writeStartObject();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    g.writeFieldName(String.valueOf(e.getKey()));
                    writeValue(g, e.getValue());
                }
                g.writeEndObject();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object o : l) writeValue(g, o);
                g.writeEndArray();
            }
            case Raw r -> g.writeRawValue(new String(r.bytes(), java.nio.charset.StandardCharsets.UTF_8));
            default -> g.writeString(v.toString());
        }
    }

    /**
     * A value already written as JSON (an expanded record), copied into a document as it is rather than parsed
     * and written again. Whoever makes one vouches that {@code bytes} is one complete JSON value.
     */
    public record Raw(byte[] bytes) {}

    public static JsonFactory storedFactory() {
        return STORED;
    }
}
