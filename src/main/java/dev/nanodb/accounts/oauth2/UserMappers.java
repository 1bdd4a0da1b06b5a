package dev.nanodb.accounts.oauth2;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The per-provider differences in reading a user, as small functions over {@link Profile} (PocketBase's
 * {@code FetchAuthUser} of each provider, field for field). An e-mail is marked verified only on the provider's
 * own word for it.
 */
final class UserMappers {
    private UserMappers() {}

    /** OpenID Connect standard claims; Google's user-info answer has the same shape. */
    static void oidc(Profile p, AuthUser.Builder u) {
        u.id(p.text("sub")).name(p.text("name")).username(p.text("preferred_username"))
                .avatarUrl(p.text("picture")).email(p.text("email"), p.flag("email_verified"));
    }

    /** Apple's ID token: no name, picture or username (the name comes only with the first redirect). */
    static void apple(Profile p, AuthUser.Builder u) {
        u.id(p.text("sub")).name(p.text("name")).email(p.text("email"), p.flag("email_verified"));
    }

    /** GitHub's /user: numeric id; the e-mail here is the public one, verified only by {@link #githubEmails}. */
    static void github(Profile p, AuthUser.Builder u) {
        u.id(p.text("id")).name(p.text("name")).username(p.text("login")).avatarUrl(p.text("avatar_url"))
                .email(p.text("email"), false);
    }

    /** GitHub's /user/emails: the primary verified address, if there is one. */
    static void githubEmails(Profile p, AuthUser.Builder u) {
        for (Map<String, Object> e : p.objects("items")) {
            if (Profile.flag(e, "primary") && Profile.flag(e, "verified")) {
                u.email(Profile.text(e, "email"), true);
                return;
            }
        }
    }

    /** GitLab's /api/v4/user: the e-mail is verified when {@code confirmed_at} is a timestamp. */
    static void gitlab(Profile p, AuthUser.Builder u) {
        u.id(p.text("id")).name(p.text("name")).username(p.text("username")).avatarUrl(p.text("avatar_url"))
                .email(p.text("email"), isTimestamp(p.text("confirmed_at")));
    }

    /**
     * Microsoft Graph's /me. Without {@code extra.idTokenEmailClaim}, {@code mail} is the e-mail but never counts as
     * verified (PocketBase trusts it; any tenant's administrator can set it, so with the default multi-tenant URL
     * anyone could claim an existing account's address); with a verified-claim rule, the e-mail comes from the ID
     * token's claims and is verified.
     */
    static void microsoft(Profile p, AuthUser.Builder u) {
        u.id(p.text("id")).name(p.text("displayName"));
        Map<String, Object> claims = p.idTokenClaims();
        String primary = Profile.text(claims, "verified_primary_email");
        String edov = Profile.flag(claims, "xms_edov") ? Profile.text(claims, "email") : "";
        String rule = p.extraText("idTokenEmailClaim");
        String email = switch (rule) {
            case "" -> p.text("mail");
            case "any_verified" -> primary.isEmpty() ? edov : primary;
            case "verified_primary_email" -> primary;
            case "email_and_xms_edov" -> edov;
            case "email" -> Profile.text(claims, "email");
            default -> "";
        };
        // Graph's mail and the bare email claim are set by any tenant's administrator ("nOAuth"): never a verified
        // address, so they can never find or link an existing account by e-mail.
        u.email(email, !rule.isEmpty() && !rule.equals("email"));
    }

    /** Discord's /users/@me: avatar from its CDN by hash; name falls back to username#discriminator. */
    static void discord(Profile p, AuthUser.Builder u) {
        String id = p.text("id"), avatar = p.text("avatar"), username = p.text("username");
        String discriminator = p.text("discriminator");
        String name = p.text("global_name");
        if (name.isEmpty()) {
            name = discriminator.isEmpty() || discriminator.equals("0") ? username : username + "#" + discriminator;
        }
        u.id(id).name(name).username(username)
                .avatarUrl(avatar.isEmpty() ? "" : "https://cdn.discordapp.com/avatars/" + id + "/" + avatar + ".png")
                .email(p.text("email"), p.flag("verified"));
    }

    private static boolean isTimestamp(String s) {
        try {
            return !s.isEmpty() && OffsetDateTime.parse(s).toEpochSecond() > 0;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
