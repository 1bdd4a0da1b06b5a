package dev.nanodb.accounts;

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

    Duration lifetime(CollectionDef c, Flow flow) {
        return switch (flow) {
            case VERIFICATION -> Duration.ofDays(3);
            case PASSWORD_RESET, EMAIL_CHANGE -> Duration.ofMinutes(30);
        };
    }

    AccountMails.Template template(CollectionDef c, Flow flow) {
        return switch (flow) {
            case VERIFICATION -> new AccountMails.Template("Verify your {APP_NAME} email",
                    "<p>Hello,</p><p>Thank you for joining {APP_NAME}. Follow the link below to verify your email address.</p>"
                            + "<p><a href=\"{APP_URL}/_/#/auth/confirm-verification/{TOKEN}\">Verify</a></p>"
                            + "<p>Thanks,<br/>{APP_NAME} team</p>");
            case PASSWORD_RESET -> new AccountMails.Template("Reset your {APP_NAME} password",
                    "<p>Hello,</p><p>Follow the link below to choose a new password.</p>"
                            + "<p><a href=\"{APP_URL}/_/#/auth/confirm-password-reset/{TOKEN}\">Reset password</a></p>"
                            + "<p><i>If you did not ask for this, ignore this email.</i></p><p>Thanks,<br/>{APP_NAME} team</p>");
            case EMAIL_CHANGE -> new AccountMails.Template("Confirm your {APP_NAME} new email address",
                    "<p>Hello,</p><p>Follow the link below to confirm your new email address.</p>"
                            + "<p><a href=\"{APP_URL}/_/#/auth/confirm-email-change/{TOKEN}\">Confirm new email</a></p>"
                            + "<p><i>If you did not ask for this, ignore this email.</i></p><p>Thanks,<br/>{APP_NAME} team</p>");
        };
    }
}
