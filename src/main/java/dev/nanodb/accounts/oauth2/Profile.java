package dev.nanodb.accounts.oauth2;

import java.util.List;
import java.util.Map;

/**
 * What a mapper reads: the provider's user JSON ({@code data}: the user-info answer, the ID token's claims, or for
 * an {@link ProviderSpec.EmailLookup} the e-mail list under {@code "items"}), the configured {@code extra}
 * options, and the ID token's claims when the token response held one ({@code idTokenClaims}, empty otherwise;
 * checked for time and issued-at only, as PocketBase does where it reads them beside the user-info answer).
 */
public record Profile(Map<String, Object> data, Map<String, Object> extra, Map<String, Object> idTokenClaims) {

    public Profile {
        data = data == null ? Map.of() : data;
        extra = extra == null ? Map.of() : extra;
        idTokenClaims = idTokenClaims == null ? Map.of() : idTokenClaims;
    }

    /** {@code data[key]} as text: strings as they are, whole numbers without a fraction, anything else "". */
    public String text(String key) {
        return text(data, key);
    }

    /** {@code data[key]} as a boolean: true, or the string "true" (some providers send strings). */
    public boolean flag(String key) {
        return flag(data, key);
    }

    public String extraText(String key) {
        return text(extra, key);
    }

    static String text(Map<String, Object> map, String key) {
        Object v = map.get(key);
        if (v instanceof String s) return s;
        if (v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger) return v.toString();
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return Long.toString(n.longValue());
        return "";
    }

    static boolean flag(Map<String, Object> map, String key) {
        Object v = map.get(key);
        return Boolean.TRUE.equals(v) || (v instanceof String s && s.equalsIgnoreCase("true"));
    }

    /** The list under {@code key} of {@code data}, only its object elements. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> objects(String key) {
        if (!(data.get(key) instanceof List<?> list)) return List.of();
        return list.stream().filter(Map.class::isInstance).map(o -> (Map<String, Object>) o).toList();
    }
}
