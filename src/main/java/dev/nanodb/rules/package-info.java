/**
 * Row-level access rules: the five rules of a collection, parsed once per collection definition, evaluated
 * for a caller ({@link dev.nanodb.rules.RequestInfo}) against a record, or turned into a filter that the store
 * plans with its indexes (list rule). No HTTP type appears here: the http layer builds the request
 * information, this package decides.
 */
package dev.nanodb.rules;
