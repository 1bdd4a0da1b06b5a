/**
 * The PostgreSQL backend of {@link dev.nanodb.store.Store}, for several NanoDB nodes sharing one database; its
 * change log carries every committed change to every node in commit order. JDBC and driver types never leave
 * this package.
 */
package dev.nanodb.store.postgres;
