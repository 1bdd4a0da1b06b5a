package dev.nanodb.filter;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Whether the record ids stored in a relation field are among {@code ids}: the semi-join that a comparison on a
 * relation path ({@code author.name = "x"}) becomes once the target collection has been asked which of its
 * records match. Never produced by the parser.
 *
 * <p>Semantics ({@link #test}): a string value is one id ({@code ""} or null: none); a list value holds ids (other
 * elements are never members); anything else holds no id. {@code all == false}: some id is in {@code ids};
 * {@code all == true}: at least one id and every id is in {@code ids}.
 *
 * @param field  the relation field (or {@code id} for a back-relation), without modifier
 * @param ids    the set, unmodifiable; ids never contain {@code ""}
 * @param all    every id (and at least one) must be in the set, instead of some
 * @param scalar the field holds one id string, never a list (a single relation, {@code id}): then "some" and
 *               "every" are one condition, and a store may answer it as an equality with any of the ids (an index
 *               lookup per id)
 */
public record Member(Field field, Set<String> ids, boolean all, boolean scalar) implements Expr {
    public Member {
        Objects.requireNonNull(field, "field");
        ids = Set.copyOf(ids);
    }

    /** A member test of a field that may hold a list. */
    public Member(Field field, Set<String> ids, boolean all) {
        this(field, ids, all, false);
    }

    /** The answer for the value of {@code field}. */
    public boolean test(Object value) {
        if (value instanceof String s) return ids.contains(s);
        if (!(value instanceof List<?> list) || list.isEmpty()) return false;
        for (Object e : list) {
            boolean in = e instanceof String s && ids.contains(s);
            if (in != all) return in;
        }
        return all;
    }
}
