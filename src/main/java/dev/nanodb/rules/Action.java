package dev.nanodb.rules;

/** The five things a rule can allow, one rule each. */
public enum Action {
    LIST, VIEW, CREATE, UPDATE, DELETE
}
