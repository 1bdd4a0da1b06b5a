package dev.nanodb.filter;

import java.util.List;

/**
 * A parameterised SQL fragment: {@code text} holds one {@code ?} per element of {@code params}, in order, and
 * no value of the filter ever appears in {@code text} itself.
 *
 * @param params {@link String}, {@link Long}, {@link Double} or {@link Boolean} values to bind in order
 */
public record Sql(String text, List<Object> params) {
    public Sql {
        params = List.copyOf(params);
    }
}
