package dev.nanodb.rules;

import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Record;

/**
 * A caller proven by a valid token: the auth record as stored when the request arrived, and its collection.
 *
 * <p>Invariant: {@code record} belongs to {@code collection}, an auth collection.
 */
public record Identity(CollectionDef collection, Record record) {
    public static final String SUPERUSERS = "_superusers";

    public boolean superuser() {
        return collection.name().equals(SUPERUSERS);
    }

    public String id() {
        return record.id();
    }
}
