package dev.nanodb.mail;

/**
 * One message, already rendered.
 *
 * @param html the body as HTML; a plain-text alternative is derived from it when sent
 */
public record Mail(String fromName, String fromAddress, String to, String subject, String html) {
    @Override
    public String toString() {
        return "Mail[to " + masked(to) + ", " + subject + "]"; // never the body: it carries tokens and codes
    }

    /** The recipient as logs show it: the domain and the first letter, enough to tell messages apart. */
    static String masked(String address) {
        int at = address == null ? -1 : address.indexOf('@');
        if (at <= 0) return "?";
        return address.charAt(0) + "***" + address.substring(at);
    }
}
