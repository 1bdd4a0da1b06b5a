package dev.nanodb.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.config.ConfigLoader;
import dev.nanodb.store.Nodes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The multi-node rule for files: the same storage on every running node, so a node on its own disk runs beside no
 * other node but one on that very folder and host (its own earlier run).
 */
class NodeStorageTest {
    private static final String OWN_DISK = NodeStorage.localFolder(Path.of("/srv/nanodb/storage"), "web-1");
    private static final String BUCKET = NodeStorage.of(ConfigLoader.load(Map.of("S3_BUCKET", "files", "S3_ACCESS_KEY", "k",
            "S3_SECRET", "s", "S3_ENDPOINT", "https://s3.example.com/", "S3_PREFIX", "app/"), null));

    @Test
    void theStorageIsDescribedByBucketEndpointAndPrefixNeverByKey() {
        assertThat(BUCKET).isEqualTo("S3 bucket files at https://s3.example.com, prefix app/");
        assertThat(NodeStorage.of(ConfigLoader.load(Map.of("S3_BUCKET", "files", "S3_ACCESS_KEY", "k", "S3_SECRET", "secret"),
                null))).isEqualTo("S3 bucket files at AWS region us-east-1").doesNotContain("secret");
        assertThat(NodeStorage.of(ConfigLoader.load(Map.of("DB_PATH", "/no/such/folder/data"), null)))
                .isEqualTo(NodeStorage.localFolder(Path.of("/no/such/folder/data/storage"), Nodes.thisHost()));
        assertThat(NodeStorage.of(ConfigLoader.load(Map.of("LOCAL_STORAGE_SHARED", "true"), null)))
                .isEqualTo(NodeStorage.SHARED_FOLDER);
    }

    @Test
    void aNodeAloneMayUseAnyStorage() {
        for (String s : List.of(OWN_DISK, NodeStorage.SHARED_FOLDER, BUCKET)) {
            assertThat(NodeStorage.refusal(s, List.of())).isNull();
        }
    }

    @Test
    void aNodeOnItsOwnDiskIsRefusedBesideAnyOtherNamingItAndTheFix() {
        String otherHost = NodeStorage.localFolder(Path.of("/srv/nanodb/storage"), "web-2");
        String otherFolder = NodeStorage.localFolder(Path.of("/srv/other/storage"), "web-1");
        for (String other : List.of(otherHost, otherFolder, NodeStorage.SHARED_FOLDER, BUCKET)) {
            assertThat(NodeStorage.refusal(OWN_DISK, List.of(node(other))))
                    .contains("1 other NanoDB node runs on this database", "host web-2 pid 42 with files on " + other,
                            "last seen 4 s ago", "keep records' files in " + OWN_DISK, "S3_BUCKET",
                            "LOCAL_STORAGE_SHARED=true", "silent for 30 s");
        }
        assertThat(NodeStorage.refusal(OWN_DISK, List.of(node(OWN_DISK)))).as("its own earlier run").isNull();
    }

    @Test
    void nodesOnTheSameBucketOrSharedFolderRunTogetherButNeverMixed() {
        assertThat(NodeStorage.refusal(BUCKET, List.of(node(BUCKET), node(BUCKET)))).isNull();
        assertThat(NodeStorage.refusal(NodeStorage.SHARED_FOLDER, List.of(node(NodeStorage.SHARED_FOLDER)))).isNull();
        String otherPrefix = BUCKET.replace("app/", "other/");
        for (String[] pair : new String[][] {{BUCKET, otherPrefix}, {BUCKET, OWN_DISK},
                {NodeStorage.SHARED_FOLDER, BUCKET}, {NodeStorage.SHARED_FOLDER, OWN_DISK}}) {
            assertThat(NodeStorage.refusal(pair[0], List.of(node(pair[0]), node(pair[1]))))
                    .as("%s beside %s", pair[0], pair[1])
                    .contains("keep records' files elsewhere than this node, which uses " + pair[0],
                            "with files on " + pair[1], "S3_BUCKET", "LOCAL_STORAGE_SHARED=true")
                    .doesNotContain("with files on " + pair[0] + ",");
        }
    }

    private static Nodes.Node node(String storage) {
        return new Nodes.Node("web-2", 42, storage, Instant.parse("2026-01-01T00:00:00Z"), Duration.ofMillis(4_400));
    }
}
