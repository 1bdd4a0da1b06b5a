package dev.nanodb.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/** A blob that is a file on this machine's disk: read by range, and sendable by the server straight from disk. */
public record PathBlob(Path path, long size, Instant modified) implements FileStorage.Blob {
    @Override
    public InputStream open(long offset, long length) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        ch.position(offset);
        return new BoundedStream(Channels.newInputStream(ch), length);
    }

    @Override
    public Optional<Path> localPath() {
        return Optional.of(path);
    }
}
