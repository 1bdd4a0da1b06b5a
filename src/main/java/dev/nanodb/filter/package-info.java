/**
 * The NanoDB filter expression language: PocketBase-style filter text such as
 * {@code status = "published" && (views >= 10 || @request.auth.id = author)}, parsed into an
 * immutable tree and evaluated against record values.
 *
 * <ul>
 *   <li>{@link dev.nanodb.filter.Filters} — parse text ({@code null} for blank: no filter), build
 *       filters from equality maps, combine filters with AND.</li>
 *   <li>{@link dev.nanodb.filter.Expr} — the tree: {@link dev.nanodb.filter.And},
 *       {@link dev.nanodb.filter.Or}, {@link dev.nanodb.filter.Compare} over
 *       {@link dev.nanodb.filter.Field} and {@link dev.nanodb.filter.Literal} operands with an
 *       {@link dev.nanodb.filter.Op}.</li>
 *   <li>{@link dev.nanodb.filter.Printer} — canonical text; printing then parsing yields an equal
 *       tree.</li>
 *   <li>{@link dev.nanodb.filter.Evaluator} with a {@link dev.nanodb.filter.Resolver} — in-memory
 *       evaluation.</li>
 *   <li>{@link dev.nanodb.filter.Values} — the single definition of value ordering and operator
 *       semantics, which the storage index must reproduce.</li>
 *   <li>{@link dev.nanodb.filter.SqlCompiler} with a {@link dev.nanodb.filter.SqlTarget} — the same
 *       semantics as a parameterised PostgreSQL condition ({@link dev.nanodb.filter.Sql}); values never
 *       enter the SQL text.</li>
 * </ul>
 *
 * <p>Design constraints: the package depends on nothing but the JDK, so it can be reused by the
 * HTTP layer, the rule engine and the store without dragging in their dependencies; parsing is
 * bounded (length, nesting, comparison count) and reports every problem as a
 * {@link dev.nanodb.filter.FilterSyntaxException} with a character position; evaluation never throws
 * for any tree and any values.
 */
package dev.nanodb.filter;
