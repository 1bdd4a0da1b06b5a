package dev.nanodb.mail;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends mail on one thread of its own, so that a request only ever hands a message over ({@link #offer}) and never
 * waits on an SMTP server, however slow or down it is.
 *
 * <p>At most {@code capacity} messages are held at once, counting those waiting for a retry; a message offered
 * beyond that is dropped and counted, never queued without bound. A failed attempt is tried again after each of
 * the {@code retryDelays} in turn (other messages are sent meanwhile), then given up, logged and counted. The SMTP
 * server is read from the settings at each attempt, so a change of settings applies to messages already waiting.
 * While SMTP is disabled a message is not sent at all: it is logged (recipient masked, never the body, which holds
 * tokens) and counted as unsent.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private final Supplier<SmtpServer> server;
    private final int capacity;
    private final List<Duration> retryDelays;
    private final ScheduledExecutorService sender;
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();

    /** What the outbox has done since start, for {@code /api/stats}. */
    public record Stats(int queued, long sent, long failed, long retried, long dropped, long unsent, String lastError) {}

    public Outbox(Supplier<SmtpServer> server, int capacity, List<Duration> retryDelays) {
        this.server = server;
        this.capacity = capacity;
        this.retryDelays = List.copyOf(retryDelays);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("nanodb-mail").factory());
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.sender = executor;
    }

    /** The defaults: 1,000 messages held at most, retried after 10 s and after 1 min. */
    public static Outbox standard(Supplier<SmtpServer> server) {
        return new Outbox(server, 1_000, List.of(Duration.ofSeconds(10), Duration.ofMinutes(1)));
    }

    /**
     * Hands a message over for sending; never blocks.
     *
     * @return false when the outbox is full and the message was dropped
     */
    public boolean offer(Mail mail) {
        if (!reserve()) {
            dropped.incrementAndGet();
            LOG.warn("mail dropped, {} messages already waiting: {}", capacity, mail);
            return false;
        }
        sender.execute(() -> attempt(mail, 0, null));
        return true;
    }

    /**
     * Sends a message at once, without retries, for an operator's test: the future fails with the SMTP server's
     * error (or completes when the server accepted the message). It still runs on the outbox's thread.
     */
    public CompletableFuture<Void> sendNow(Mail mail) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!reserve()) {
            dropped.incrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException("the mail queue is full"));
        }
        sender.execute(() -> attempt(mail, 0, done));
        return done;
    }

    private boolean reserve() {
        while (true) {
            int n = held.get();
            if (n >= capacity) return false;
            if (held.compareAndSet(n, n + 1)) return true;
        }
    }

    private void attempt(Mail mail, int tries, CompletableFuture<Void> done) {
        SmtpServer smtp = server.get();
        if (!smtp.enabled()) {
            held.decrementAndGet();
            unsent.incrementAndGet();
            LOG.warn("mail not sent, SMTP is not enabled in the settings: {}", mail);
            if (done != null) done.completeExceptionally(new IllegalStateException("SMTP is not enabled in the settings"));
            return;
        }
        try {
            SmtpSender.send(smtp, mail);
            held.decrementAndGet();
            sent.incrementAndGet();
            if (done != null) done.complete(null);
        } catch (Exception e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            lastError.set(error);
            if (done == null && tries < retryDelays.size()) {
                retried.incrementAndGet();
                LOG.info("mail not sent (attempt {}), trying again in {}: {} — {}", tries + 1, retryDelays.get(tries), mail, error);
                sender.schedule(() -> attempt(mail, tries + 1, done), retryDelays.get(tries).toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            held.decrementAndGet();
            failed.incrementAndGet();
            LOG.warn("mail not sent, given up after {} attempts: {} — {}", tries + 1, mail, error);
            if (done != null) done.completeExceptionally(e);
        }
    }

    public Stats stats() {
        return new Stats(held.get(), sent.get(), failed.get(), retried.get(), dropped.get(), unsent.get(), lastError.get());
    }

    /** Stops sending; messages still waiting are not sent. */
    @Override
    public void close() {
        sender.shutdownNow();
    }
}
