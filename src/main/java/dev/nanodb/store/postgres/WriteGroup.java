package dev.nanodb.store.postgres;

import dev.nanodb.store.Change;
import dev.nanodb.store.StoreException;
import dev.nanodb.store.WriteOp;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Group commit: the {@code write} calls that queued while the writer threads were busy, run in one SQL
 * transaction, so a burst of writes costs one commit (one WAL flush, one turn of the change log's commit lock)
 * instead of one each.
 *
 * <p>Invariant: each call stays atomic and independent. A group first runs without savepoints (one failure is
 * rare, and a savepoint costs two round trips per call); when a call fails, the transaction is rolled back and
 * the group runs again with each call inside a savepoint of its own, so a call that fails is rolled back to it
 * and answered with its own error while the others commit. A failure of
 * the transaction itself (a deadlock, a lost connection) fails or retries the whole group, and a retry runs every
 * call again from the start on a fresh transaction. Calls of one group are applied, logged and published in
 * queue order, so a later call sees what an earlier one wrote (two updates expecting the same version: the
 * second gets the conflict, exactly as if they had committed one after the other).
 */
final class WriteGroup {
    /** A queued {@code write} call and the future its caller holds. */
    record Pending(List<WriteOp> ops, CompletableFuture<List<Change>> future) {}

    /** Enough to amortise a commit; small enough that one group never holds its row locks for long. */
    static final int MAX_OPS = 256;

    private final List<Pending> calls;
    private final List<Object> outcomes = new ArrayList<>();
    /** Savepoints per call: set once a run without them failed (calls rarely fail, and savepoints cost two round trips). */
    private boolean careful;

    private WriteGroup(List<Pending> calls) {
        this.calls = calls;
    }

    /** Takes the calls queued now, oldest first, up to {@link #MAX_OPS} operations (at least one call). */
    static WriteGroup drain(Queue<Pending> queue) {
        List<Pending> taken = new ArrayList<>();
        int ops = 0;
        for (Pending p; (p = queue.peek()) != null && (taken.isEmpty() || ops + p.ops().size() <= MAX_OPS); ) {
            if (queue.remove(p)) {
                taken.add(p);
                ops += p.ops().size();
            }
        }
        return new WriteGroup(taken);
    }

    boolean isEmpty() {
        return calls.isEmpty();
    }

    /**
     * Applies every call inside the caller's transaction and returns the changes of those that succeeded, in
     * order. An {@link SQLException} that is not one call's own failure (or a lone call's) aborts the group.
     */
    List<Change> run(Connection c, PgWriter writer, Function<Throwable, StoreException> translate) throws SQLException {
        outcomes.clear();
        List<Change> all = new ArrayList<>();
        if (calls.size() == 1 || !careful) {
            try {
                for (Pending p : calls) {
                    PgWriter.Applied applied = writer.apply(c, p.ops());
                    outcomes.add(applied);
                    all.addAll(applied.all());
                }
                return all;
            } catch (SQLException e) {
                if (calls.size() == 1 || PostgresStore.retryable(e)) throw e;
                careful = true;
                throw new OneCallFailed(e);
            } catch (RuntimeException e) {
                if (calls.size() == 1) throw e;
                careful = true;
                throw new OneCallFailed(e);
            }
        }
        for (Pending p : calls) {
            Savepoint sp = c.setSavepoint();
            try {
                PgWriter.Applied applied = writer.apply(c, p.ops());
                c.releaseSavepoint(sp);
                outcomes.add(applied);
                all.addAll(applied.all());
            } catch (RuntimeException e) {
                c.rollback(sp);
                outcomes.add(translate.apply(e));
            } catch (SQLException e) {
                if (PostgresStore.retryable(e)) throw e;
                c.rollback(sp);
                outcomes.add(translate.apply(e));
            }
        }
        return all;
    }

    /**
     * A call of a group run without savepoints failed: the transaction is rolled back and the group runs again,
     * this time with a savepoint per call ({@link #run}), so that only the failing call fails.
     */
    static final class OneCallFailed extends RuntimeException {
        OneCallFailed(Throwable cause) {
            super(cause);
        }
    }

    /**
     * Answers every call after the commit: failed ones with their error, the others with their slice of
     * {@code published} (the group's changes as the listeners received them, in the order {@link #run} returned;
     * {@code own} is the same list numbered by this node, used should the two not line up).
     */
    void complete(List<Change> published, List<Change> own) {
        // never throw here (this runs in a future's callback, where an exception would leave every call waiting):
        // should the listener's list not line up with the transaction's changes, answer with the changes themselves
        int expected = 0;
        for (Object outcome : outcomes) if (outcome instanceof PgWriter.Applied a) expected += a.all().size();
        if (published.size() != expected) published = own;
        int from = 0;
        for (int i = 0; i < calls.size(); i++) {
            Object outcome = outcomes.get(i);
            if (outcome instanceof StoreException e) {
                calls.get(i).future().completeExceptionally(e);
                continue;
            }
            PgWriter.Applied applied = (PgWriter.Applied) outcome;
            List<Change> slice = published.subList(from, from + applied.all().size());
            List<Change> answer = new ArrayList<>(applied.ownAt().size());
            for (int at : applied.ownAt()) answer.add(slice.get(at));
            calls.get(i).future().complete(List.copyOf(answer));
            from += applied.all().size();
        }
    }

    /** Fails every call with the transaction's error: nothing of the group was committed. */
    void fail(Throwable e) {
        for (Pending p : calls) p.future().completeExceptionally(e);
    }
}
