package dev.nanodb.rules;

/**
 * The things a rule can allow, one rule each: the five record rules, and for an auth collection signing in
 * ({@code authRule}), managing another account ({@code manageRule}) and needing a second factor ({@code mfa.rule}:
 * "" = every account); those three are locked for other collections.
 */
public enum Action {
    LIST, VIEW, CREATE, UPDATE, DELETE, AUTH, MANAGE, MFA
}
