package dev.nanodb.files;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Stored names are PocketBase-shaped and always one safe path segment. */
class FileNamesTest {
    @Property(tries = 2000)
    void anyClientNameBecomesOneSafeSegment(@ForAll String original) {
        String stored = FileNames.stored(original);
        assertThat(FileKey.validSegment(stored)).as(stored).isTrue();
        assertThat(stored).doesNotContain("..", "/", "\\").matches("[a-z0-9_]+_[a-z0-9]{10}(\\.[A-Za-z0-9]{1,20})?");
    }

    @Test
    void pocketBaseShapes() {
        assertThat(FileNames.stored("My Photo.PNG")).matches("my_photo_[a-z0-9]{10}\\.PNG");
        assertThat(FileNames.stored("../../etc/passwd")).matches("passwd_[a-z0-9]{10}");
        assertThat(FileNames.stored("C:\\Users\\x\\report-2024.final.pdf")).matches("report_2024_final_[a-z0-9]{10}\\.pdf");
        assertThat(FileNames.stored(".htaccess")).matches("htaccess_[a-z0-9]{10}");
        assertThat(FileNames.stored("a.txt")).matches("a[a-z0-9]{10}_[a-z0-9]{10}\\.txt");
        assertThat(FileNames.stored("x".repeat(500) + ".jpg")).matches("x{100}_[a-z0-9]{10}\\.jpg");
        assertThat(FileNames.stored("photo.png")).isNotEqualTo(FileNames.stored("photo.png"));
        assertThat(FileNames.stored("blob", () -> "image/png")).as("no extension: the sniffed type's").matches("blob_[a-z0-9]{10}\\.png");
        assertThat(FileNames.stored("blob", () -> "application/octet-stream")).matches("blob_[a-z0-9]{10}");
        assertThat(FileNames.stored("a.gif", () -> "image/png")).as("a given extension is kept").endsWith(".gif");
    }
}
