package dev.nanodb.api;

import dev.nanodb.testing.TestServer;
import java.util.ArrayList;
import java.util.List;

/** Runs scenario tables on both store backends: each scenario once on LMDB and once on a fresh PostgreSQL schema. */
final class Backends {
    private Backends() {}

    static List<Scenario> both(List<Scenario> scenarios) {
        List<Scenario> out = new ArrayList<>(scenarios.size() * 2);
        for (Scenario s : scenarios) {
            out.add(new Scenario(s.name() + " [lmdb]", s.env(), s.users(), s.setup(), s.request(), s.after()));
            Scenario pg = s.env(TestServer.BACKEND, TestServer.POSTGRES);
            out.add(new Scenario(s.name() + " [postgres]", pg.env(), s.users(), s.setup(), s.request(), s.after()));
        }
        return out;
    }
}
