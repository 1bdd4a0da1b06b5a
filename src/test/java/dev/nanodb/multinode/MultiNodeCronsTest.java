package dev.nanodb.multinode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.crons.Crons;
import dev.nanodb.store.Nodes;
import dev.nanodb.store.postgres.PostgresStore;
import dev.nanodb.testing.PgTestDatabase;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two nodes — two stores on one PostgreSQL schema, each registered as a node with its own scheduler — tick the same
 * minutes at the same moment: every minute the job runs on exactly one of them; a job running on one node is not
 * started on the other (neither by a tick nor by a run now); a node whose clock lags cannot run a tick again; and
 * a node that leaves frees its job at once. The minutes are chosen by the test (no waiting for the clock).
 */
@Timeout(120)
class MultiNodeCronsTest {
    private static final Instant START = Instant.parse("2024-09-16T12:00:00Z");
    private final List<AutoCloseable> open = new ArrayList<>();
    private Crons a;
    private Crons b;
    private Nodes.Membership nodeA;

    @BeforeEach
    void twoNodes() {
        PgTestDatabase.assumeAvailable();
        String schema = PgTestDatabase.freshSchema();
        PostgresStore storeA = new PostgresStore(PgTestDatabase.url(), schema, 1);
        PostgresStore storeB = new PostgresStore(PgTestDatabase.url(), schema, 1);
        open.add(storeA);
        open.add(storeB);
        nodeA = storeA.join("shared", others -> null);
        Nodes.Membership nodeB = storeB.join("shared", others -> null);
        a = new Crons(nodeA, Clock.systemUTC());
        b = new Crons(nodeB, Clock.systemUTC());
        open.add(0, a);
        open.add(0, b);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) c.close();
    }

    @Test
    void eachMinuteTheJobRunsOnExactlyOneNode() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        a.register("count", "* * * * *", runs::incrementAndGet);
        b.register("count", "* * * * *", runs::incrementAndGet);
        int minutes = 30;
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int m = 0; m < minutes; m++) {
                Instant minute = START.plusSeconds(60L * m);
                Future<List<String>> onA = pool.submit(() -> tickTogether(a, minute, together));
                Future<List<String>> onB = pool.submit(() -> tickTogether(b, minute, together));
                List<String> ran = new ArrayList<>(onA.get(30, TimeUnit.SECONDS));
                ran.addAll(onB.get(30, TimeUnit.SECONDS));
                assertThat(ran).as("minute %d", m).containsExactly("count");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(runs).hasValue(minutes);
    }

    @Test
    void aJobOverWhatEachNodeKeepsRunsOnBothNodesAtEveryTick() throws Exception {
        AtomicInteger onA = new AtomicInteger();
        AtomicInteger onB = new AtomicInteger();
        a.registerOnEachNode("local", "* * * * *", onA::incrementAndGet);
        b.registerOnEachNode("local", "* * * * *", onB::incrementAndGet);
        for (int m = 0; m < 3; m++) {
            Instant minute = START.plusSeconds(60L * m);
            assertThat(a.tick(minute).get(30, TimeUnit.SECONDS)).containsExactly("local");
            assertThat(b.tick(minute).get(30, TimeUnit.SECONDS)).containsExactly("local");
        }
        assertThat(onA).hasValue(3);
        assertThat(onB).hasValue(3);
    }

    @Test
    void aJobRunningOnOneNodeIsNotStartedOnTheOther() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runsOnB = new AtomicInteger();
        a.register("slow", "* * * * *", () -> {
            started.countDown();
            await(release);
        });
        b.register("slow", "* * * * *", runsOnB::incrementAndGet);
        CompletableFuture<List<String>> first = a.tick(START);
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(b.tick(START.plusSeconds(60)).get(30, TimeUnit.SECONDS)).as("the next tick on B").isEmpty();
        assertThat(b.run("slow").orElseThrow().get(30, TimeUnit.SECONDS)).as("run now on B").isFalse();
        release.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).containsExactly("slow");
        assertThat(runsOnB).as("B never ran it while A did").hasValue(0);
        assertThat(b.tick(START.plusSeconds(120)).get(30, TimeUnit.SECONDS)).containsExactly("slow");
        assertThat(b.run("slow").orElseThrow().get(30, TimeUnit.SECONDS)).as("run now on B, A idle").isTrue();
        assertThat(b.tick(START.plusSeconds(180)).get(30, TimeUnit.SECONDS)).containsExactly("slow");
    }

    @Test
    void aNodeWhoseClockLagsCannotRunATickAgain() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        a.register("count", "* * * * *", runs::incrementAndGet);
        b.register("count", "* * * * *", runs::incrementAndGet);
        assertThat(a.tick(START.plusSeconds(60)).get(30, TimeUnit.SECONDS)).containsExactly("count");
        assertThat(b.tick(START).get(30, TimeUnit.SECONDS)).as("an earlier minute, late").isEmpty();
        assertThat(b.tick(START.plusSeconds(60)).get(30, TimeUnit.SECONDS)).as("the same minute, late").isEmpty();
        assertThat(runs).hasValue(1);
    }

    @Test
    void aNodeThatLeavesFreesTheJobAtOnce() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        a.register("job", "* * * * *", () -> {
            started.countDown();
            await(release);
        });
        AtomicInteger runsOnB = new AtomicInteger();
        b.register("job", "* * * * *", runsOnB::incrementAndGet);
        CompletableFuture<List<String>> stuck = a.tick(START);
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        nodeA.close();
        assertThat(b.tick(START.plusSeconds(60)).get(30, TimeUnit.SECONDS)).containsExactly("job");
        release.countDown();
        stuck.get(30, TimeUnit.SECONDS);
        assertThat(runsOnB).hasValue(1);
    }

    private static List<String> tickTogether(Crons crons, Instant minute, CyclicBarrier together) throws Exception {
        together.await(30, TimeUnit.SECONDS);
        return crons.tick(minute).get(30, TimeUnit.SECONDS);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
