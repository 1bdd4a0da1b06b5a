package dev.nanodb.accounts;

import dev.nanodb.collections.SystemCollections;
import dev.nanodb.filter.Compare;
import dev.nanodb.filter.Field;
import dev.nanodb.filter.Literal;
import dev.nanodb.filter.Op;
import dev.nanodb.schema.Ids;
import dev.nanodb.schema.Times;
import dev.nanodb.store.Change;
import dev.nanodb.store.ChangeListener;
import dev.nanodb.store.CollectionDef;
import dev.nanodb.store.Query;
import dev.nanodb.store.Record;
import dev.nanodb.store.Store;
import dev.nanodb.store.WriteOp;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code _externalAuths} links (PocketBase's {@code ExternalAuth}): which provider account signs in as which
 * auth record. Links are found by their derived unique {@code providerKey} and written as plain store operations so
 * the sign-in can put them in the same transaction as the record it creates or changes.
 *
 * <p>Deleting an auth record deletes its links (PocketBase's record-ref hooks): as a change listener, after the
 * delete commits, on every node that sees the change (a second delete of the same link finds nothing and does
 * nothing). A link that survives anyway (a crash in between) is harmless: the sign-in treats a link to a missing
 * record as no link and replaces it.
 */
public final class ExternalAuths implements ChangeListener {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalAuths.class);
    static final String COLLECTION = SystemCollections.EXTERNAL_AUTHS;
    private final Store store;

    public ExternalAuths(Store store) {
        this.store = store;
    }

    /** The link of one provider account in one collection, or null. */
    Record find(String collectionId, String provider, String providerId) {
        return first(new Compare(new Field("providerKey"), Op.EQ, new Literal(providerKey(collectionId, provider, providerId))), 1)
                .stream().findFirst().orElse(null);
    }

    /** Deletes of every link of a record (at most one per provider, so a small list). */
    List<WriteOp> deletesOf(String collectionId, String recordId) {
        return first(new Compare(new Field("recordRef"), Op.EQ, new Literal(recordId)), 200).stream()
                .filter(l -> collectionId.equals(l.data().get("collectionRef")))
                .map(l -> (WriteOp) new WriteOp.Delete(COLLECTION, l.id(), null)).toList();
    }

    /** The create of a new link. */
    static WriteOp create(String collectionId, String recordId, String provider, String providerId) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("collectionRef", collectionId);
        data.put("recordRef", recordId);
        data.put("provider", provider);
        data.put("providerId", providerId);
        data.put("providerKey", providerKey(collectionId, provider, providerId));
        data.put("recordKey", collectionId + "/" + recordId + "/" + provider);
        String now = Times.now();
        return new WriteOp.Create(COLLECTION, new Record(Ids.newId(), now, now, 1, data));
    }

    private static String providerKey(String collectionId, String provider, String providerId) {
        return collectionId + "/" + provider + "/" + providerId;
    }

    private List<Record> first(dev.nanodb.filter.Expr filter, int n) {
        return store.query(new Query(COLLECTION, filter, List.of(), 1, n, true)).items();
    }

    @Override
    public void onCommit(List<Change> changes) {
        for (Change ch : changes) {
            if (ch.action() != Change.Action.DELETE
                    || !store.collection(ch.collectionId()).map(CollectionDef::isAuth).orElse(true)) {
                continue;
            }
            Thread.startVirtualThread(() -> removeLinks(ch.collectionId(), ch.record().id()));
        }
    }

    private void removeLinks(String collectionId, String recordId) {
        try {
            for (WriteOp op : deletesOf(collectionId, recordId)) {
                store.write(List.of(op)).exceptionally(t -> null);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not remove the OAuth2 links of a deleted record {}: {}", recordId, e.toString());
        }
    }
}
