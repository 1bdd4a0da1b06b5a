package dev.nanodb.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanodb.json.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored form of a definition reads back as the same definition, options of every field type included. */
class CollectionCodecTest {
    @Test
    void fileAndRelationOptionsSurviveTheStoredForm() {
        CollectionDef def = CollectionDef.builder("pbc_docs00000000", "docs", CollectionType.BASE).fields(List.of(
                FieldDef.builder("doc", FieldType.FILE).required(true)
                        .files(new FieldDef.Files(1024, List.of("image/png", "application/pdf"), List.of("100x100", "0x300f"), true))
                        .build(),
                FieldDef.builder("docs", FieldType.FILE).maxSelect(5).build(),
                FieldDef.builder("owner", FieldType.RELATION).relation(new FieldDef.Relation("_pb_users_auth_", 1, true)).build()))
                .rules(CollectionDef.Rules.SUPERUSERS_ONLY).created("2026-12-07 00:00:00.000Z").updated("2026-12-07 00:00:00.000Z")
                .build();
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = (Map<String, Object>) Json.parseObject(Json.write(CollectionCodec.toMap(def)));
        CollectionDef back = CollectionCodec.fromMap(stored);
        assertThat(back.fields()).isEqualTo(def.fields());
        assertThat(back.field("docs").orElseThrow().files()).isEqualTo(FieldDef.Files.DEFAULT);
        assertThat(back.field("doc").orElseThrow().files().effectiveMaxSize()).isEqualTo(1024);
        assertThat(back.field("docs").orElseThrow().files().effectiveMaxSize()).isEqualTo(5L << 20);
    }

    @Test
    void authOptionsSurviveTheStoredFormSecretsIncluded() {
        AuthOptions options = AuthOptions.defaults().withRules("verified = true", "")
                .withPasswordAuth(new AuthOptions.PasswordAuth(true, List.of("email", "username")))
                .withOAuth2(new AuthOptions.OAuth2(true, new AuthOptions.MappedFields("", "name", "", "avatar"), List.of(
                        new AuthOptions.Provider("oidc", "client", "s3cret", "https://id.example/auth", "", "", "Company",
                                true, Map.of("scope", "openid")))));
        CollectionDef def = CollectionDef.builder("pbc_members0000", "members", CollectionType.AUTH).authOptions(options)
                .created("2026-12-07 00:00:00.000Z").updated("2026-12-07 00:00:00.000Z").build();
        @SuppressWarnings("unchecked")
        Map<String, Object> stored = (Map<String, Object>) Json.parseObject(Json.write(CollectionCodec.toMap(def)));
        assertThat(CollectionCodec.fromMap(stored).authOptions()).isEqualTo(options);
    }

    @Test
    void aDefinitionStoredBeforeAuthOptionsReadsWithTheDefaults() {
        CollectionDef def = CollectionDef.builder("pbc_members0000", "members", CollectionType.AUTH).build();
        Map<String, Object> stored = new java.util.LinkedHashMap<>(CollectionCodec.toMap(def));
        stored.remove("authOptions");
        assertThat(CollectionCodec.fromMap(stored).authOptions()).isEqualTo(AuthOptions.defaults());
        CollectionDef base = CollectionDef.builder("pbc_posts000000", "posts", CollectionType.BASE)
                .authOptions(AuthOptions.defaults()).build();
        assertThat(base.authOptions()).isNull();
        assertThat(CollectionCodec.toMap(base)).doesNotContainKey("authOptions");
    }
}
