package dev.nanodb.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The window table counts per key with an explicit clock, and never holds more than its cap. */
class WindowTableTest {

    @Test
    void countsWithinAWindowAndStartsAfreshAfterIt() {
        WindowTable t = new WindowTable(100);
        assertThat(t.hit("GET /a", "10.0.0.1", 2000, 1000)).isEqualTo(new WindowTable.Hit(1, 3000));
        assertThat(t.hit("GET /a", "10.0.0.1", 2000, 2999)).isEqualTo(new WindowTable.Hit(2, 3000));
        assertThat(t.hit("GET /a", "10.0.0.2", 2000, 2999)).isEqualTo(new WindowTable.Hit(1, 4999));
        assertThat(t.hit("GET /b", "10.0.0.1", 2000, 2999)).isEqualTo(new WindowTable.Hit(1, 4999));
        assertThat(t.hit("GET /a", "10.0.0.1", 2000, 3000)).isEqualTo(new WindowTable.Hit(1, 5000));
        assertThat(t.size()).isEqualTo(3);
    }

    @Test
    void endedWindowsAreDroppedFirstWhenTheTableIsFull() {
        WindowTable t = new WindowTable(100);
        for (int i = 0; i < 100; i++) t.hit("r", "old" + i, 1000, 0);
        for (int i = 0; i < 10; i++) t.hit("r", "new" + i, 1000, 5000);
        assertThat(t.size()).isEqualTo(10);
    }

    /**
     * 100,000 distinct addresses in one window, with the default cap of 20,000: the table stays within the cap,
     * keeps the latest addresses counting, and its heap use stays proportional to the cap (well under 400 bytes
     * a window), not to the addresses seen.
     */
    @Test
    void aHundredThousandAddressesStayWithinTheCap() {
        int cap = 20_000;
        long before = usedHeap();
        WindowTable t = new WindowTable(cap);
        int largest = 0;
        for (int i = 0; i < 100_000; i++) {
            t.hit("POST /api/auth/login", "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255), 60_000, i);
            largest = Math.max(largest, t.size());
        }
        long held = usedHeap() - before;
        assertThat(largest).isLessThanOrEqualTo(cap);
        assertThat(t.size()).isGreaterThan(cap / 2);
        assertThat(t.hit("POST /api/auth/login", "10.1.134.159", 60_000, 100_000).count()).isEqualTo(2);
        assertThat(held).as("heap held by %d windows", t.size()).isLessThan(400L * cap);
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }
}
