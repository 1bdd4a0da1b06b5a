package dev.nanodb.config;

/** A setting that cannot be used; the message names the key and says what is expected. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
    }
}
