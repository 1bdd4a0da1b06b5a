package dev.nanodb.rules;

/**
 * The things a rule can allow, one rule each: the five record rules, and for an auth collection signing in
 * ({@code authRule}) and managing another account ({@code manageRule}); those two are locked for other collections.
 */
public enum Action {
    LIST, VIEW, CREATE, UPDATE, DELETE, AUTH, MANAGE
}
