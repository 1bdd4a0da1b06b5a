package dev.nanodb.logs;

/**
 * What is kept of the request logs, as the settings' {@code logs} section says (PocketBase's {@code LogsConfig}).
 *
 * @param maxDays   entries older than this many days are removed; 0 keeps no logs at all
 * @param minLevel  entries below this level are not kept (PocketBase's levels: -4 debug, 0 info, 4 warn, 8 error)
 * @param logIP     whether {@code data.userIP} and {@code data.remoteIP} are kept
 * @param logAuthId whether {@code data.authId} (the caller's record id) is kept
 */
public record LogPolicy(int maxDays, int minLevel, boolean logIP, boolean logAuthId) {
    /** PocketBase's defaults. */
    public static final LogPolicy DEFAULT = new LogPolicy(5, 0, true, false);

    /** Whether going from {@code before} to this policy removes entries that {@code before} kept. */
    boolean narrows(LogPolicy before) {
        return maxDays < before.maxDays || minLevel > before.minLevel;
    }
}
