package dev.nanodb.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The optional capability of a store that several NanoDB processes ("nodes") may serve at once (PostgreSQL): each
 * running node is registered in the store with the file storage it uses, so a starting node can tell whether others
 * run and refuse a setup that would lose files between them. A store only one process opens (the embedded LMDB)
 * does not implement it; callers test {@code store instanceof Nodes}.
 *
 * <p>Liveness: a registered node renews its entry every {@link #HEARTBEAT}; an entry not renewed for
 * {@link #SILENCE} (three heartbeats) belongs to a node that is gone (killed, or cut off from the store) and
 * no longer counts. A node that stops cleanly removes its entry at once. Times are the store's own clock, so the
 * nodes' clocks need not agree.
 */
public interface Nodes {
    Duration HEARTBEAT = Duration.ofSeconds(10);
    Duration SILENCE = HEARTBEAT.multipliedBy(3);

    /**
     * Another node whose entry is live.
     *
     * @param storage what it registered with {@link #join} (its file storage, as the caller describes it)
     * @param silent  how long ago it last renewed its entry
     */
    record Node(String host, long pid, String storage, Instant started, Duration silent) {}

    /** Judges the other live nodes for a node joining with some storage. */
    @FunctionalInterface
    interface Admission {
        /** @return null to admit the joining node, else why it may not run beside {@code others} */
        String refusal(List<Node> others);
    }

    /**
     * Registers this process as a running node using {@code storage}, after {@code admission} accepted the other
     * live nodes. Check and registration are one step across every node of the store: of two nodes joining at the
     * same moment, the second is judged with the first among the others. The entry is then renewed every
     * {@link #HEARTBEAT}; each renewal asks {@code admission} again and logs its refusal as an error (a node that
     * was silent for a while may meet nodes that joined meanwhile).
     *
     * @throws Refused with {@code admission}'s message; nothing was registered
     */
    Membership join(String storage, Admission admission);

    /** A node's registration; closing it stops the renewals and removes the entry. */
    interface Membership extends AutoCloseable {
        /**
         * Claims a run of the scheduled job {@code job} for this node, so that of the nodes sharing the store exactly
         * one runs each tick and no two run the job at once.
         *
         * <p>Of every claim for one {@code (job, due)} across the nodes at most one succeeds, and only when {@code due}
         * is later than the last tick claimed (a node whose clock lags cannot run a tick again); no claim of a job
         * succeeds while another node holds one — until that node releases it or its entry is no longer live
         * ({@link #SILENCE}: a node killed mid-run holds nothing for long).
         *
         * @param due the tick the run is for (a minute), or null for a run asked for now, which only needs the job
         *            not to be running elsewhere
         * @return the claim, held until closed; null when another node has this tick or is running the job
         */
        Claim claim(String job, Instant due);

        @Override
        void close();
    }

    /** A held claim of a job's run ({@link Membership#claim}); closing releases it. */
    interface Claim extends AutoCloseable {
        @Override
        void close();
    }

    /** This machine's name as nodes are told apart: {@code HOSTNAME} when set (containers), else the OS's. */
    static String thisHost() {
        return Host.NAME;
    }

    /** A node may not join: the message says why and what to change. */
    final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** Holds the host name, looked up once. */
    final class Host {
        private static final String NAME = lookUp();

        private Host() {}

        private static String lookUp() {
            String env = System.getenv("HOSTNAME");
            if (env != null && !env.isBlank()) return env;
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                return "unknown host";
            }
        }
    }
}
