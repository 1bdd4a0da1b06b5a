package dev.nanodb.store.lmdb;

import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.store.Change;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.FieldDef;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.RelationGraph;
import dev.nanodb.store.RelationTx;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.LongSupplier;
import org.lmdbjava.Txn;

/**
 * {@link RelationTx} over LMDB's single write transaction: there is one writer, so what it reads cannot change
 * under it and nothing needs locking. A single relation's referencing records are found through the field's
 * index; a multiple relation's by walking the referencing collection (its values are lists, which the indexes do
 * not hold).
 */
final class LmdbRelations implements RelationTx {
    private final Lmdb db;
    private final Txn<ByteBuffer> txn;
    private final Catalog catalog;
    private final RecordWriter writer;
    private final QueryRunner queries;
    private final LongSupplier seq;
    private RelationGraph graph;

    LmdbRelations(Lmdb db, Txn<ByteBuffer> txn, Catalog catalog, RecordWriter writer, QueryRunner queries, LongSupplier seq) {
        this.db = db;
        this.txn = txn;
        this.catalog = catalog;
        this.writer = writer;
        this.queries = queries;
        this.seq = seq;
    }

    /** The relation graph of the collections as this transaction sees them. */
    RelationGraph graph() {
        if (graph == null) graph = RelationGraph.of(catalog.all().stream().map(StoredCollection::def).toList());
        return graph;
    }

    @Override
    public CollectionDef collectionById(String id) {
        return catalog.byId(id).map(StoredCollection::def).orElse(null);
    }

    @Override
    public boolean exists(CollectionDef c, String id) {
        StoredCollection sc = catalog.byId(c.id()).orElse(null);
        if (sc == null) return false;
        byte[] key = IndexKeys.record(sc.tag(), id);
        return key.length <= IndexKeys.MAX_KEY && db.records.get(txn, Lmdb.keyA(key)) != null;
    }

    @Override
    public List<Record> referencing(CollectionDef source, FieldDef field, String id, int limit) {
        StoredCollection sc = catalog.byId(source.id()).orElseThrow();
        Op op = field.multiple() ? Op.ANY_EQ : Op.EQ;
        Query q = new Query(sc.def().name(), new Compare(new Field(field.name()), op, new Literal(id)), List.of(), 1,
                limit, true);
        return queries.run(txn, sc, q).items();
    }

    @Override
    public Change delete(CollectionDef c, Record r) {
        return writer.remove(txn, catalog.byId(c.id()).orElseThrow(), r, seq.getAsLong());
    }

    @Override
    public Change replace(CollectionDef c, Record old, Record next) {
        return writer.store(txn, catalog.byId(c.id()).orElseThrow(), old, next, seq.getAsLong());
    }
}
