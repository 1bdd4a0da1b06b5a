/**
 * Files of records: where their bytes live ({@link dev.nanodb.files.FileStorage}, local disk in
 * {@code files.local}, S3-compatible storage in its own package), how stored names are made safe
 * ({@link dev.nanodb.files.FileNames}) and where each file of a record is kept ({@link dev.nanodb.files.FileKey}).
 *
 * <p>Durability rule, shared by every backend: a file is stored under its final name, durably, <em>before</em> the
 * record that names it commits, and is served only while a record names it; a name is never reused (each carries a
 * random part). So a crash at any moment leaves no record naming a missing file, only unreferenced files, which a
 * sweep removes. Replaced and deleted files are removed after the record's commit is durable.
 */
package dev.nanodb.files;
