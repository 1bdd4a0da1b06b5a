package dev.nanodb.store;

import java.util.List;

/** What the consistency checker found: how much it verified and every disagreement (empty = clean). */
public record ConsistencyReport(long recordsChecked, long indexEntriesChecked, List<String> problems) {
    public ConsistencyReport {
        problems = List.copyOf(problems);
    }

    public boolean clean() {
        return problems.isEmpty();
    }
}
