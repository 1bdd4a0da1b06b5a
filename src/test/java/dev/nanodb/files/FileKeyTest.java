package dev.nanodb.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keys of files and of their thumbnails: PocketBase's layout, and nothing that could leave a record's folder. */
class FileKeyTest {
    @Test
    void aThumbnailLivesInItsOriginalsThumbsFolder() {
        FileKey original = new FileKey("c1", "r1", "photo_abc.png");
        FileKey thumb = original.thumbnail(ThumbSize.parse("100x100f").orElseThrow());
        assertThat(thumb.toString()).isEqualTo("c1/r1/thumbs_photo_abc.png/100x100f_photo_abc.png");
        assertThat(thumb.toString()).startsWith(original.thumbnailsPrefix());
        assertThat(FileKey.parse(thumb.toString())).isEqualTo(thumb);
        assertThat(thumb.original()).isEqualTo(original);
        assertThat(FileKey.parse(original.toString())).isEqualTo(original);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c1/r1/thumbs_a.png/100x100_b.png", "c1/r1/thumbs_a.png/0x0_a.png", "c1/r1/thumbs_../100x100_..",
            "c1/r1/a.png/100x100_a.png", "c1/r1/thumbs_a.png/100x100a.png", "c1/r1/thumbs_a.png/x_a.png", "c1/r1/..",
            "c1/r1/thumbs_a.png/100x100_a.png/x", "c1/../a.png", "/c1/r1/a.png", "c1/r1/thumbs_a.png/0100x100_a.png"})
    void malformedKeysAreNoKeys(String text) {
        assertThat(FileKey.parse(text)).isNull();
    }

    @Test
    void aThumbnailSizeIsCanonical() {
        assertThatThrownBy(() -> new FileKey("c1", "r1", "a.png", "0100x100")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FileKey("c1", "r1", "a.png", "../x")).isInstanceOf(IllegalArgumentException.class);
    }
}
