/**
 * Scheduled jobs ({@code /api/crons}): a registry of named jobs with cron expressions, one ticker thread that
 * starts each job due at a minute on a worker, and — when several nodes share PostgreSQL — a claim per tick in the
 * store ({@link dev.nanodb.store.Nodes.Membership#claim}) so exactly one node runs it. Other packages' work (the
 * file sweep, scheduled backups, log cleanup) is registered here by the wiring; this package knows only the store
 * API's node registry and the cron expression library.
 */
package dev.nanodb.crons;
