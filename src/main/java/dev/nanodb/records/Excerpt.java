package dev.nanodb.records;

import dev.nanodb.error.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PocketBase's {@code :excerpt(max, withEllipsis?)} modifier of the {@code fields} parameter
 * ({@code fields=*,body:excerpt(100,true)}): a string value becomes plain text — tags removed, the content of
 * script, style, form controls, media and the like dropped, block elements separated by a space, entities decoded,
 * whitespace collapsed — cut to at most {@code max} characters (code points), with {@code ...} appended when cut
 * and asked for. Values that are not strings are left as they are (PocketBase: a missing expand must not fail).
 *
 * <p>The stripping is a small tag scanner, not a full HTML parser: it follows PocketBase's tag lists, which is
 * what matters for an excerpt (never markup in the answer, words kept apart), not HTML's recovery rules.
 *
 * @param max          the most characters kept, at least 1
 * @param withEllipsis append {@code ...} when the text was cut
 */
record Excerpt(int max, boolean withEllipsis) {
    private static final Pattern SPEC = Pattern.compile("excerpt\\(\\s*(\\d{1,9})\\s*(?:,\\s*(true|false|1|0)\\s*)?\\)");
    private static final Pattern WHITESPACE = Pattern.compile("[\\t\\n\\f\\r ]+");
    private static final Pattern TAG = Pattern.compile("</?([A-Za-z][A-Za-z0-9-]*)[^>]*>|<!--.*?-->|<![^>]*>", Pattern.DOTALL);
    private static final Set<String> EXCLUDED = Set.of("head", "style", "script", "iframe", "embed", "applet", "object",
            "svg", "img", "picture", "dialog", "template", "button", "form", "textarea", "input", "select", "option");
    private static final Set<String> VOID = Set.of("img", "embed", "input");
    private static final Set<String> INLINE = Set.of("a", "abbr", "acronym", "b", "bdo", "big", "br", "button", "cite",
            "code", "em", "i", "label", "q", "small", "span", "strong", "strike", "sub", "sup", "time");

    /**
     * A {@code fields} selection read for one record: the keys kept (null = all), those named on their own, the
     * excerpt asked for a key, and
     * the excerpt of {@code *:excerpt(…)}, which applies to every key not named on its own (PocketBase).
     */
    record Selection(Set<String> keys, Set<String> named, Map<String, Excerpt> excerpts, Excerpt rest) {
        static final Selection ALL = new Selection(null, Set.of(), Map.of(), null);

        static Selection of(Set<String> fields) {
            if (fields == null) return ALL;
            if (!fields.contains("*") && fields.stream().noneMatch(f -> f.indexOf(':') >= 0)) return new Selection(fields, fields, Map.of(), null);
            Set<String> keys = new HashSet<>();
            Map<String, Excerpt> excerpts = new HashMap<>();
            Excerpt rest = null;
            boolean all = false;
            for (String f : fields) {
                int colon = f.indexOf(':');
                String name = colon < 0 ? f : f.substring(0, colon);
                Excerpt e = colon < 0 ? null : parse(f.substring(colon + 1));
                if (name.equals("*")) {
                    all = true;
                    if (e != null) rest = e;
                    continue;
                }
                keys.add(name);
                if (e != null) excerpts.put(name, e);
            }
            return new Selection(all ? null : keys, keys, excerpts, all ? rest : null);
        }

        boolean keeps(String key) {
            return keys == null || keys.contains(key);
        }

        Object value(String key, Object v) {
            Excerpt e = excerpts.get(key);
            if (e == null && rest != null && !named.contains(key)) e = rest;
            return e == null ? v : e.apply(v);
        }
    }

    /** The entries of a {@code fields} parameter: split at commas outside parentheses, stripped. */
    static List<String> split(String fields) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < fields.length(); i++) {
            char ch = fields.charAt(i);
            if (ch == '(') depth++;
            else if (ch == ')') depth = Math.max(0, depth - 1);
            else if (ch == ',' && depth == 0) {
                out.add(fields.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(fields.substring(start).strip());
        return out;
    }

    /** {@code entry} itself when it has no modifier or a valid one; otherwise the 400 of a bad {@code fields}. */
    static String check(String entry) {
        int colon = entry.indexOf(':');
        if (colon >= 0) parse(entry.substring(colon + 1));
        return entry;
    }

    /** The modifier text after a field's colon, e.g. {@code excerpt(100,true)}. */
    static Excerpt parse(String modifier) {
        Matcher m = SPEC.matcher(modifier.strip());
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1) {
            throw ApiException.invalidField("fields", "validation_invalid_fields",
                    "Unsupported modifier: " + modifier + " (expected excerpt(max, withEllipsis?) with max > 0).");
        }
        String e = m.group(2);
        return new Excerpt(Integer.parseInt(m.group(1)), "true".equals(e) || "1".equals(e));
    }

    /** The excerpt of a string; any other value unchanged. */
    Object apply(Object value) {
        if (!(value instanceof String s)) return value;
        String text = WHITESPACE.matcher(plain(s)).replaceAll(" ").strip();
        if (text.codePointCount(0, text.length()) <= max) return text;
        String cut = text.substring(0, text.offsetByCodePoints(0, max)).strip();
        return withEllipsis ? cut + "..." : cut;
    }

    /** The text of {@code html} with block boundaries as spaces (whitespace not yet collapsed). */
    static String plain(String html) {
        StringBuilder out = new StringBuilder(Math.min(html.length(), 4096));
        Matcher m = TAG.matcher(html);
        int at = 0;
        while (at < html.length() && m.find(at)) {
            out.append(entities(html.substring(at, m.start())));
            at = m.end();
            String name = m.group(1) == null ? null : m.group(1).toLowerCase(Locale.ROOT);
            if (name == null) continue; // a comment or a doctype
            boolean closing = html.charAt(m.start() + 1) == '/';
            if (!INLINE.contains(name)) out.append(' ');
            if (!closing && EXCLUDED.contains(name) && !VOID.contains(name) && !m.group().endsWith("/>")) {
                int end = closeTag(html, name, at);
                if (end < 0) return out.toString(); // unclosed: the rest is its content
                int gt = html.indexOf('>', end);
                at = gt < 0 ? html.length() : gt + 1;
            }
        }
        if (at < html.length()) out.append(entities(html.substring(at)));
        return out.toString();
    }

    /** Where {@code </name} starts at or after {@code from}, in any letter case; -1 when nowhere. */
    private static int closeTag(String html, String name, int from) {
        for (int i = html.indexOf("</", from); i >= 0; i = html.indexOf("</", i + 2)) {
            if (html.regionMatches(true, i + 2, name, 0, name.length())) return i;
        }
        return -1;
    }

    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos|nbsp);");

    private static String entities(String text) {
        if (text.indexOf('&') < 0) return text;
        return ENTITY.matcher(text).replaceAll(r -> Matcher.quoteReplacement(entity(r.group(1))));
    }

    private static String entity(String e) {
        return switch (e) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            case "nbsp" -> "\u00a0";
            default -> {
                int cp = e.charAt(1) == 'x' || e.charAt(1) == 'X' ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1));
                yield Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : "\ufffd";
            }
        };
    }
}
