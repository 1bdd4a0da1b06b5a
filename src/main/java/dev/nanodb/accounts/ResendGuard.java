package dev.nanodb.accounts;

import java.util.concurrent.ConcurrentHashMap;

/**
 * At most one message of a purpose per account per {@code windowMillis} (PocketBase waits 2 minutes before it sends
 * another verification e-mail): a stranger who knows an address cannot flood its owner's mailbox, whatever number of
 * addresses the stranger's requests come from. Kept per node; the per-client rate limits bound the rest.
 *
 * <p>The table holds only windows still open; it is pruned as it is used and never holds more than {@code maxKeys}
 * entries (past that, the oldest half is dropped — a guard may then let one early message through, never more).
 */
final class ResendGuard {
    private final long windowMillis;
    private final int maxKeys;
    private final ConcurrentHashMap<String, Long> sentAt = new ConcurrentHashMap<>();

    ResendGuard(long windowMillis, int maxKeys) {
        this.windowMillis = windowMillis;
        this.maxKeys = maxKeys;
    }

    /** True when a message for {@code key} may go now (and the window starts); false while one went recently. */
    boolean allow(String key) {
        long now = System.currentTimeMillis();
        if (sentAt.size() >= maxKeys) prune(now);
        boolean[] allowed = {false};
        sentAt.compute(key, (k, last) -> {
            if (last != null && now - last < windowMillis) return last;
            allowed[0] = true;
            return now;
        });
        return allowed[0];
    }

    private void prune(long now) {
        sentAt.values().removeIf(t -> now - t >= windowMillis);
        if (sentAt.size() < maxKeys) return;
        long cutoff = sentAt.values().stream().sorted().skip(sentAt.size() / 2).findFirst().orElse(now);
        sentAt.values().removeIf(t -> t < cutoff);
    }
}
