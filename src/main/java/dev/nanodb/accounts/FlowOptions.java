package dev.nanodb.accounts;

import dev.nanodb.store.AuthOptions;
import dev.nanodb.store.CollectionDef;
import java.time.Duration;

/** What an auth collection's options say about each flow: its token's lifetime and its message. */
final class FlowOptions {
    /** The flows, by PocketBase's token types. */
    enum Flow {
        VERIFICATION("verification"), PASSWORD_RESET("passwordReset"), EMAIL_CHANGE("emailChange");

        final String type;

        Flow(String type) {
            this.type = type;
        }
    }

    private FlowOptions() {}

    static Duration lifetime(CollectionDef c, Flow flow) {
        AuthOptions.TokenDurations t = options(c).tokens();
        return Duration.ofSeconds(switch (flow) {
            case VERIFICATION -> t.verification();
            case PASSWORD_RESET -> t.passwordReset();
            case EMAIL_CHANGE -> t.emailChange();
        });
    }

    static AuthOptions.Template template(CollectionDef c, Flow flow) {
        AuthOptions.Templates t = options(c).templates();
        return switch (flow) {
            case VERIFICATION -> t.verification();
            case PASSWORD_RESET -> t.resetPassword();
            case EMAIL_CHANGE -> t.confirmEmailChange();
        };
    }

    static AuthOptions options(CollectionDef c) {
        return c.authOptions() == null ? AuthOptions.defaults() : c.authOptions();
    }
}
