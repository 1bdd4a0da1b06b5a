package dev.nanodb.backups;

import dev.nanodb.files.FileStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where backup archives are kept: the local folder ({@link LocalShelf}) or an S3-compatible bucket
 * ({@link BucketShelf}), chosen by the settings at each operation. Keys are validated by {@link BackupService}
 * before they reach a shelf; a shelf lists only names that are valid keys.
 */
interface Shelf {
    /** Every backup, in no particular order. */
    List<BackupService.Backup> list() throws IOException;

    Optional<FileStorage.Blob> find(String key) throws IOException;

    /**
     * Keeps the complete archive {@code source} (on local disk, in the work folder or the uploads folder) under
     * {@code key}: it appears there whole or not at all, durably; {@code source} may be gone afterwards.
     */
    void keep(String key, Path source) throws IOException;

    /** A local file with the archive's bytes: the kept file itself, or a copy fetched into {@code work}. */
    Path local(String key, Path work) throws IOException;

    void delete(String key) throws IOException;
}
