package dev.nanodb.filter;

/**
 * Supplies the value of a {@link Field} path during evaluation.
 *
 * <p>Keeping lookup behind this interface is what lets the filter package stay free of any storage,
 * JSON or HTTP dependency: the caller decides what {@code author.name}, {@code @request.auth.id}
 * or {@code @now} mean.
 */
@FunctionalInterface
public interface Resolver {

    /**
     * @param path a field path exactly as written in the filter
     * @return a {@link String}, any {@link Number}, {@link Boolean}, {@code null} (also for missing
     *         paths), a {@code List<?>} (JSON array) or a {@code Map<String, ?>} (JSON object)
     */
    Object resolve(String path);
}
