package dev.nanodb.files;

import dev.nanodb.config.Config;
import dev.nanodb.store.Nodes;
import dev.nanodb.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The multi-node rule for records' files: every node running on one database must keep files in the same place,
 * or a file uploaded through one node is missing on another. A node registers its storage as a description
 * ({@link #of}: the bucket, endpoint and prefix of S3; a shared folder; or its own folder with the host — never a
 * key) and may start only when every other running node registered the same one. So a node on its own disk may
 * start beside another only when that one uses the very same folder on the same host: the entry left by its own
 * earlier run (killed, not yet silent for {@link Nodes#SILENCE}) or a second process on that folder. A shared folder
 * cannot be compared across machines by its path, so {@code LOCAL_STORAGE_SHARED} is the operator's word that
 * {@code DB_PATH/storage} is one folder on every node.
 */
public final class NodeStorage {
    static final String SHARED_FOLDER = "a shared folder (LOCAL_STORAGE_SHARED)";
    private static final String LOCAL_FOLDER = "the local folder ";
    private static final String FIX = "Set S3_BUCKET (with S3_ACCESS_KEY, S3_SECRET and, for a service other than "
            + "AWS, S3_ENDPOINT) to the same bucket and S3_PREFIX on every node, or set LOCAL_STORAGE_SHARED=true on every "
            + "node whose DB_PATH/storage is one folder they all mount (e.g. NFS).";

    private NodeStorage() {}

    /** How {@code config}'s file storage is registered; equal descriptions mean the same files. */
    public static String of(Config config) {
        Config.S3 s3 = config.s3();
        if (s3 != null) {
            String service = s3.endpoint() == null ? "AWS region " + s3.region() : s3.endpoint().replaceAll("/+$", "");
            return "S3 bucket " + s3.bucket() + " at " + service + (s3.prefix().isEmpty() ? "" : ", prefix " + s3.prefix());
        }
        if (config.localStorageShared()) return SHARED_FOLDER;
        Path folder = config.dbPath().resolve("storage");
        try {
            folder = folder.toRealPath();
        } catch (IOException notYetCreated) {
            folder = folder.toAbsolutePath().normalize();
        }
        return localFolder(folder, Nodes.thisHost());
    }

    static String localFolder(Path folder, String host) {
        return LOCAL_FOLDER + folder + " on host " + host;
    }

    /**
     * Registers this node with its file storage when {@code store} is shared by several nodes ({@link Nodes}),
     * after checking the other running nodes against the rule; null for a store of one node.
     *
     * @throws Nodes.Refused naming the nodes in the way and the settings that fix it
     */
    public static Nodes.Membership join(Store store, Config config) {
        if (!(store instanceof Nodes nodes)) return null;
        String self = of(config);
        return nodes.join(self, others -> refusal(self, others));
    }

    /** Null when a node keeping files in {@code self} may run beside {@code others}; else why not and the fix. */
    static String refusal(String self, List<Nodes.Node> others) {
        List<Nodes.Node> elsewhere = others.stream().filter(n -> !n.storage().equals(self)).toList();
        if (elsewhere.isEmpty()) return null;
        String why = ": a file uploaded through one node could not be downloaded through another. ";
        if (self.startsWith(LOCAL_FOLDER)) {
            return elsewhere.size() + " other NanoDB node" + (elsewhere.size() == 1 ? " runs" : "s run") + " on this database ("
                    + list(elsewhere) + "), and this node would keep records' files in " + self + why + FIX + " " + silence();
        }
        return "other NanoDB nodes on this database keep records' files elsewhere than this node, which uses " + self
                + " (" + list(elsewhere) + ")" + why + "Every node must use the same file storage. " + FIX + " " + silence();
    }

    private static String list(List<Nodes.Node> nodes) {
        return nodes.stream().map(n -> "host " + n.host() + " pid " + n.pid() + " with files on " + n.storage()
                + ", last seen " + n.silent().toSeconds() + " s ago").collect(Collectors.joining("; "));
    }

    private static String silence() {
        return "A node that ended without a clean stop counts as running until it has been silent for "
                + Nodes.SILENCE.toSeconds() + " s.";
    }
}
