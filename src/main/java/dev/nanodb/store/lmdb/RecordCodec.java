package dev.nanodb.store.lmdb;

import dev.nanodb.store.Record;

/** A record's stored form is its canonical JSON ({@link Record#json()}). */
final class RecordCodec {
    private RecordCodec() {}

    static byte[] encode(Record r) {
        return r.json();
    }

    /** A record read under its key's id; parsed lazily. */
    static Record decode(String id, byte[] bytes) {
        return Record.ofStored(id, bytes);
    }

    /** A record parsed and checked now (the consistency checker: it must notice an undecodable record). */
    static Record decodeChecked(byte[] bytes) {
        return Record.ofJson(bytes);
    }
}
