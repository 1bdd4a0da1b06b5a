package dev.nanodb.crons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The scheduler of one process (no shared store): jobs due at a minute run on workers, a job never overlaps itself,
 * a job that throws runs again at its next time, and a job whose expression is read at each use follows it (blank:
 * disabled, not listed). Ticks are driven by the test at chosen minutes.
 */
class CronsTest {
    private static final Instant NOON = Instant.parse("2024-09-16T12:00:00Z");

    @Test
    void aTickRunsTheJobsDueThenAndOnlyThose() throws Exception {
        try (Crons crons = new Crons(null, Clock.systemUTC())) {
            AtomicInteger hourly = new AtomicInteger();
            AtomicInteger every5 = new AtomicInteger();
            crons.register("b_hourly", "@hourly", hourly::incrementAndGet);
            crons.register("a_every5", "*/5 * * * *", every5::incrementAndGet);
            assertThat(crons.tick(NOON).get(10, TimeUnit.SECONDS)).containsExactly("a_every5", "b_hourly");
            assertThat(crons.tick(NOON.plusSeconds(5 * 60 + 30)).get(10, TimeUnit.SECONDS)).containsExactly("a_every5");
            assertThat(crons.tick(NOON.plusSeconds(60)).get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(hourly).hasValue(1);
            assertThat(every5).hasValue(2);
            assertThat(crons.jobs()).containsExactly(new Crons.Job("a_every5", "*/5 * * * *"), new Crons.Job("b_hourly", "@hourly"));
        }
    }

    @Test
    void aRunningJobIsNotStartedAgainByATickOrARunNow() throws Exception {
        try (Crons crons = new Crons(null, Clock.systemUTC())) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger runs = new AtomicInteger();
            crons.register("slow", "* * * * *", () -> {
                runs.incrementAndGet();
                started.countDown();
                await(release);
            });
            var first = crons.tick(NOON);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(crons.tick(NOON.plusSeconds(60)).get(10, TimeUnit.SECONDS)).as("the next tick skips it").isEmpty();
            assertThat(crons.run("slow").orElseThrow().get(10, TimeUnit.SECONDS)).as("run now is skipped").isFalse();
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).containsExactly("slow");
            assertThat(runs).hasValue(1);
            assertThat(crons.tick(NOON.plusSeconds(120)).get(10, TimeUnit.SECONDS)).containsExactly("slow");
            assertThat(runs).hasValue(2);
        }
    }

    @Test
    void aJobThatThrowsRunsAgainAtItsNextTime() throws Exception {
        try (Crons crons = new Crons(null, Clock.systemUTC())) {
            AtomicInteger attempts = new AtomicInteger();
            crons.register("flaky", "* * * * *", () -> {
                attempts.incrementAndGet();
                throw new IllegalStateException("boom");
            });
            crons.tick(NOON).get(10, TimeUnit.SECONDS);
            crons.tick(NOON.plusSeconds(60)).get(10, TimeUnit.SECONDS);
            assertThat(attempts).hasValue(2);
        }
    }

    @Test
    void aJobReadingItsExpressionFollowsItAndIsDisabledWhileBlank() throws Exception {
        try (Crons crons = new Crons(null, Clock.systemUTC())) {
            AtomicReference<String> expression = new AtomicReference<>("");
            AtomicInteger runs = new AtomicInteger();
            crons.register("setting", expression::get, runs::incrementAndGet);
            assertThat(crons.jobs()).isEmpty();
            assertThat(crons.run("setting")).isEmpty();
            assertThat(crons.tick(NOON).get(10, TimeUnit.SECONDS)).isEmpty();
            expression.set("@daily");
            assertThat(crons.jobs()).containsExactly(new Crons.Job("setting", "@daily"));
            assertThat(crons.tick(NOON).get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(crons.tick(Instant.parse("2024-09-17T00:00:00Z")).get(10, TimeUnit.SECONDS)).containsExactly("setting");
            expression.set("not a cron");
            assertThat(crons.jobs()).as("an invalid expression disables the job").isEmpty();
            assertThat(runs).hasValue(1);
        }
    }

    @Test
    void runNowStartsAJobInTheBackgroundAndAnUnknownIdIsNotFound() throws Exception {
        try (Crons crons = new Crons(null, Clock.systemUTC())) {
            CountDownLatch ran = new CountDownLatch(1);
            crons.register("job", "0 0 1 1 *", ran::countDown);
            assertThat(crons.run("job")).isPresent();
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(crons.run("other")).isEmpty();
            assertThatThrownBy(() -> crons.register("bad", "nope", () -> { })).isInstanceOf(IllegalArgumentException.class);
            assertThat(crons.jobs()).extracting(Crons.Job::id).isEqualTo(List.of("job"));
        }
    }

    @Test
    void theTickerTicksAtWholeMinutesOfItsClock() throws Exception {
        Instant almost = Instant.parse("2024-09-16T11:59:59.800Z");
        Clock clock = Clock.fixed(almost, java.time.ZoneOffset.UTC);
        CountDownLatch ran = new CountDownLatch(1);
        try (Crons crons = new Crons(null, clock)) {
            crons.register("noon", "0 12 * * *", ran::countDown);
            crons.start();
            assertThat(ran.await(10, TimeUnit.SECONDS)).as("the job due at the next whole minute ran").isTrue();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
