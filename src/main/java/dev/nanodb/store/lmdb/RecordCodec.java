package dev.nanodb.store.lmdb;

import dev.nanodb.store.Record;

/** A record's stored form is its canonical JSON ({@link Record#json()}). */
final class RecordCodec {
    private RecordCodec() {}

    static byte[] encode(Record r) {
        return r.json();
    }

    static Record decode(byte[] bytes) {
        return Record.ofJson(bytes);
    }
}
