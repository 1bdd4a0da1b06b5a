#!/usr/bin/env python3
"""Helpers for bench/run (python3 standard library only).

bench/run does the orchestration (JDK, build, pinning, wrk); this file (the
command line) and its modules do the parts that are easier in Python than in
bash: HTTP probes against the server, collecting record ids, parsing wrk's text
output and printing the result table. The modules: common.py (the bench
collection, token files and HTTP helpers they all use), realtime_probe.py (the
realtime phase), relations.py and files.py (the relations and files phases),
soak.py (the soak mode, bench/run --soak) and report.py (wrk's
output, the result table, and why reads are reported as ratios to /health).

Auth: the product's read targets are "with a token and a rule", so the bench
collection has an owner rule (owner_id = @request.auth.id) and every create,
view, list and update is sent with a signed-up user's token; the server then
verifies the token and evaluates the rule on each request. `setup` writes the
tokens to files in the work folder (bench/run passes the user's to wrk as an
Authorization header); probes here read them from there.

Sub-commands (all talk to 127.0.0.1):
  free-port                          print a free TCP port
  wait-health PORT WORKDIR TIMEOUT    poll GET /health every 2 ms; print ms
                                      from the JVM launch to the first 200
  setup PORT WORKDIR                  log in as the superuser, create the "bench"
                                      collection, sign up and log in the bench
                                      user (and a second user); write the tokens
                                      and the login body to WORKDIR
  warm-collection PORT WORKDIR create|drop
                                      the create warm-up's collection bench_warm
  rss-sampler PID OUT                 RssAnon and RssFile of PID every 100 ms to OUT
  collect-ids PORT WORKDIR EXPECTED   page through all ids (as the bench user),
                                      write WORKDIR/ids.lua
  check-exact PORTS WORKDIR RECORDS   verify totalItems of the list queries as the
                                      bench user, the superuser and another user,
                                      on every node (PORTS: "A" or "A,B");
                                      write WORKDIR/exact.json
  realtime PORTS WORKDIR SERVER_PID SUBSCRIBERS IDLE_STREAMS [JCMD]
                                      the realtime phase (SSE): delivery latency
                                      to SUBSCRIBERS streams (split over the nodes
                                      of PORTS, writes alternating between
                                      them), then node A's (SERVER_PID's)
                                      RSS (and live heap, with JCMD) with
                                      IDLE_STREAMS idle streams; writes
                                      WORKDIR/realtime.json; exit 2 when an event
                                      is missing, duplicated or leaked, or a
                                      stream is closed by the server
  soak PORT WORKDIR SERVER_PID MINUTES SUBSCRIBERS
                                      the soak (bench/run --soak): MINUTES of
                                      paced mixed traffic with SUBSCRIBERS SSE
                                      streams, sampled over time; writes
                                      WORKDIR/soak.json (soak.py)
  soak-report WORKDIR OUT.md          print the soak's summary, write the
                                      Markdown; exit 2 on errors, 4 when RSS
                                      grew after the warm-up
  relations-setup PORT WORKDIR        the relations phase's data: 10,000 authors and
                                      100,000 posts (bench/relations.py)
  relations-train PORT WORKDIR        the first start's relation requests (100 authors,
                                      1,000 posts), for the start-up cache
  relations-rule PORT WORKDIR         put the relation rule on posts and check its
                                      exact totals for both users
  files-setup PORT WORKDIR JPEG       the files phase's data: collection 'files' (owner rules, a
                                      protected file field), a 10 KB file, the JPEG on 80 records
                                      (bench/files.py)
  files-thumbs PORT WORKDIR SERVER_PID
                                      first thumbnails one at a time, then a burst of 50 with the
                                      server's peak RSS; writes WORKDIR/files-thumbs.json; exit 2
                                      when an answer is not the thumbnail
  files-path PORT WORKDIR small|thumb print a wrk row's path (10 KB file or stored thumbnail) with a
                                      fresh file token, checked once
  files-train PORT WORKDIR JPEG       the first start's file requests, for the start-up cache
  composite-index PORT WORKDIR        declare the composite index (status, owner_id, created) on the loaded
                                      'bench' collection (PocketBase's SQL form) and write WORKDIR/composite.path,
                                      the list it serves: status="s3" && owner_id=<the bench user>, sort=-created
  check-wrk FILE...                   fail when wrk saw non-2xx/socket errors
  cpu-busy                            % of all CPUs busy over the next second
  report WORKDIR OUT.md               print the table, write the Markdown
"""
import json
import os
import re
import sys
import time
import urllib.parse

from common import (COLLECTION, CREATE_RULE, HOST, LOGIN_BODY_FILE, OWNER_RULE, RULES, TOKEN_FILES, call, die,
                    get_json, login, process_alive, read_token, request_json)
from files import cmd_files_path, cmd_files_setup, cmd_files_thumbs, cmd_files_train
from realtime_probe import cmd_realtime
from relations import cmd_relations_rule, cmd_relations_setup, cmd_relations_train
from report import cmd_report, parse_wrk
from soak import cmd_soak, cmd_soak_report

RECORDS = "/api/collections/bench/records"
FILTER_S3 = 'status="s3"'

# The default first superuser (docs/API.md, "Auth"); the bench server starts on an empty data folder.
SUPERUSER = {"identity": "admin@local.host", "password": "password123"}
# The bench user owns every record; the stranger owns none and must see none (proof that the rule applies).
BENCH_USER = {"email": "bench@example.com", "password": "bench-password-1"}
STRANGER = {"email": "stranger@example.com", "password": "bench-password-2"}


# --------------------------------------------------------------- commands

def cmd_free_port():
    import socket
    with socket.socket() as s:
        s.bind((HOST, 0))
        print(s.getsockname()[1])


def cmd_wait_health(port, workdir, timeout_s):
    """Started by bench/run *before* the JVM, so that Python's own start-up
    (~0.1 s) is not part of the measurement: it creates WORKDIR/poller.ready,
    bench/run then writes "<launch time in epoch us> <pid>" to WORKDIR/launch
    and starts the JVM. Prints ms from launch to the first 200 from /health."""
    port = int(port)
    launch_path = os.path.join(workdir, "launch")
    open(os.path.join(workdir, "poller.ready"), "w").close()
    deadline = time.monotonic() + float(timeout_s)
    pid = None
    while time.monotonic() < deadline:
        try:
            status, _ = call(port, "GET", "/health", timeout=5)
            if status == 200:
                done_us = time.time_ns() // 1000
                with open(launch_path) as f:
                    t0_us = int(f.read().split()[0])
                print(f"{(done_us - t0_us) / 1000:.0f}")
                return
        except OSError:
            pass  # not listening yet
        if pid is None and os.path.exists(launch_path):
            with open(launch_path) as f:
                parts = f.read().split()
            pid = int(parts[1]) if len(parts) > 1 else None
        if pid is not None and not process_alive(pid):
            die("server process exited before answering /health")
        time.sleep(0.002)
    die(f"no 200 from GET /health within {timeout_s} s")


def cmd_rss_sampler(pid, out_path):
    """Appends "RssAnon RssFile" (kB) of process PID to OUT every 100 ms until the process is gone."""
    status = f"/proc/{pid}/status"
    with open(out_path, "w") as out:
        while True:
            try:
                with open(status) as f:
                    fields = dict(line.split(":", 1) for line in f if line.startswith(("RssAnon", "RssFile")))
            except OSError:
                return
            out.write(f"{fields['RssAnon'].split()[0]} {fields['RssFile'].split()[0]}\n")
            out.flush()
            time.sleep(0.1)


def cmd_cpu_busy():
    def sample():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + v[4]  # total, idle + iowait
    t0, i0 = sample()
    time.sleep(1)
    t1, i1 = sample()
    print(f"{100 * (1 - (i1 - i0) / max(t1 - t0, 1)):.0f}")


def cmd_setup(port, workdir):
    port = int(port)
    # The collections API is for superusers only.
    su_token, _ = login(port, "_superusers", SUPERUSER["identity"], SUPERUSER["password"])
    created = request_json(port, "POST", "/api/collections", COLLECTION, token=su_token)
    if created.get("name") != "bench":
        die(f"POST /api/collections answered an unexpected body: {json.dumps(created)[:500]}")
    # A rule the server dropped or rewrote would make the bench measure something else: check the echo.
    differ = {k: created.get(k) for k, v in RULES.items() if created.get(k) != v}
    if differ:
        die(f"collection 'bench' was created with other rules than asked: {differ}")
    print(f"collection 'bench' created with an indexed owner_id and the rules {OWNER_RULE!r} "
          f"(list, view, update, delete) and {CREATE_RULE!r} (create)")
    tokens = {"superuser": su_token}
    for who, account in (("user", BENCH_USER), ("stranger", STRANGER)):
        request_json(port, "POST", "/api/collections/users/records",
                     {**account, "passwordConfirm": account["password"]})
        tokens[who], uid = login(port, "users", account["email"], account["password"])
        print(f"{who} {account['email']} signed up and logged in (id {uid})")
        if who == "user":
            with open(os.path.join(workdir, "user.id"), "w") as f:
                f.write(uid + "\n")
    for who, token in tokens.items():
        with open(os.path.join(workdir, TOKEN_FILES[who]), "w") as f:
            f.write(token + "\n")
    with open(os.path.join(workdir, LOGIN_BODY_FILE), "w") as f:
        json.dump({"identity": BENCH_USER["email"], "password": BENCH_USER["password"]}, f)


WARM_COLLECTION = "bench_warm"


def cmd_warm_collection(port, workdir, action):
    """The create warm-up's collection: 'create' makes bench_warm (the bench collection's fields and rules under
    another name, so the warm-up runs the same code and leaves the measured collection's exact totals alone);
    'drop' deletes it with its records, so the scenarios after it see the data they always saw."""
    port, token = int(port), read_token(workdir, "superuser")
    if action == "create":
        request_json(port, "POST", "/api/collections", {**COLLECTION, "name": WARM_COLLECTION}, token=token)
    elif action == "drop":
        status, text = call(port, "DELETE", f"/api/collections/{WARM_COLLECTION}", token=token, timeout=300)
        if status != 204:
            die(f"DELETE /api/collections/{WARM_COLLECTION} -> {status}: {text[:300]}")
    else:
        die(f"warm-collection: unknown action {action!r} (create or drop)")


COMPOSITE_INDEX = "CREATE INDEX `idx_status_owner_created` ON `bench` (`status`, `owner_id`, `created`)"
COMPOSITE_FILE = "composite.path"


def cmd_composite_index(port, workdir):
    """Declares the composite index on the loaded collection (built over every record in one write) and writes
    the path of the list it serves, filtered on two fields and sorted by a third."""
    port = int(port)
    started = time.monotonic()
    answer = request_json(port, "PATCH", "/api/collections/bench", {"indexes": [COMPOSITE_INDEX]},
                          token=read_token(workdir, "superuser"), timeout=300)
    if answer.get("indexes") != [COMPOSITE_INDEX]:
        die(f"PATCH /api/collections/bench did not keep the index: {json.dumps(answer.get('indexes'))}")
    with open(os.path.join(workdir, "user.id")) as f:
        uid = f.read().strip()
    flt = urllib.parse.quote(f'status="s3" && owner_id="{uid}"', safe="")
    with open(os.path.join(workdir, COMPOSITE_FILE), "w") as f:
        f.write(f"{RECORDS}?perPage=30&filter={flt}&sort=-created\n")
    print(f"composite index declared and built in {time.monotonic() - started:.1f} s")


def cmd_collect_ids(port, workdir, expected):
    port, expected = int(port), int(expected)
    out_path = os.path.join(workdir, "ids.lua")
    token = read_token(workdir, "user")  # the owner: the list rule lets it see every record
    ids, page = [], 1
    while True:
        q = f"{RECORDS}?perPage=1000&page={page}&fields=id&skipTotal=1"
        items = get_json(port, q, token).get("items")
        if not isinstance(items, list):
            die(f"GET {q}: no 'items' list in the answer")
        if not items:
            break
        ids.extend(str(item["id"]) for item in items)
        page += 1
        if page > expected // 1000 + 50:
            die(f"paging does not end (page {page}); is 'page' ignored?")
    if len(ids) != expected:
        die(f"collected {len(ids)} ids over {page - 1} pages, expected {expected}")
    if len(set(ids)) != len(ids):
        die(f"duplicate ids across pages ({len(ids) - len(set(ids))} repeats)")
    bad = [i for i in ids if not re.fullmatch(r"[a-z0-9]{15}", i)]
    if bad:
        print(f"warning: {len(bad)} ids are not 15 chars [a-z0-9], e.g. {bad[0]!r}")
    # A single long-bracket string keeps LuaJIT's constant limits out of play;
    # ids are [a-z0-9] so they can never contain the closing "]]".
    with open(out_path, "w") as f:
        f.write("-- generated by bench/nanobench.py: returns the list of record ids\nlocal blob = [[\n")
        f.write("\n".join(ids))
        f.write("\n]]\nlocal ids = {}\nfor id in blob:gmatch(\"[^\\n]+\") do ids[#ids + 1] = id end\nreturn ids\n")
    print(f"collected {len(ids)} ids over {page - 1} pages")


def cmd_check_exact(ports, workdir, records):
    ports, records = [int(p) for p in ports.split(",")], int(records)
    out_path = os.path.join(workdir, "exact.json")
    s3 = f"{RECORDS}?perPage=30&filter=" + urllib.parse.quote(FILTER_S3, safe="")
    everything = f"{RECORDS}?perPage=30"
    # The bench user owns every record, so the rule ANDed into its queries must keep all of them; a superuser
    # bypasses rules and must see the same totals; another user owns nothing and must see nothing.
    checks = [("user", s3, records // 10), ("user", everything, records),
              ("superuser", s3, records // 10), ("superuser", everything, records),
              ("stranger", everything, 0)]
    composite = os.path.join(workdir, COMPOSITE_FILE)
    if os.path.exists(composite):
        with open(composite) as f:
            checks.append(("user", f.read().strip(), records // 10))
    # With two nodes (one database), each node must answer the exact totals by itself.
    results, ok = [], True
    for node, port in zip("AB", ports):
        at = f" from node {node}" if len(ports) > 1 else ""
        for who, path, want in checks:
            got = get_json(port, path, read_token(workdir, who)).get("totalItems")
            passed = got == want
            ok &= passed
            results.append({"who": who, "path": path, "want": want, "got": got, "pass": passed, "node": node})
            print(f"  {'PASS' if passed else 'FAIL'}  GET {path} as the {who}{at}: totalItems={got} (want {want})")
    with open(out_path, "w") as f:
        json.dump({"pass": ok, "checks": results}, f)
    if not ok:
        sys.exit(3)


def cmd_check_wrk(*paths):
    failed = False
    for path in paths:
        r = parse_wrk(path)
        problems = []
        if r["rps"] is None:
            problems.append("no 'Requests/sec' line (did wrk run?)")
        if r["non2xx"]:
            problems.append(f"{r['non2xx']} non-2xx responses")
        if r.get("lua_errors"):
            problems.append(f"{r['lua_errors']} non-2xx creates")
        if r["socket_errors"]:
            problems.append("socket errors")
        if problems:
            failed = True
            print(f"FAIL {os.path.basename(path)}: {'; '.join(problems)}\n{r['text']}", file=sys.stderr)
    if failed:
        sys.exit(2)


COMMANDS = {
    "free-port": cmd_free_port,
    "wait-health": cmd_wait_health,
    "setup": cmd_setup,
    "collect-ids": cmd_collect_ids,
    "check-exact": cmd_check_exact,
    "composite-index": cmd_composite_index,
    "warm-collection": cmd_warm_collection,
    "realtime": cmd_realtime,
    "soak": cmd_soak,
    "soak-report": cmd_soak_report,
    "check-wrk": cmd_check_wrk,
    "relations-setup": lambda port, workdir: cmd_relations_setup(port, workdir, BENCH_USER["email"], BENCH_USER["password"],
                                                                 STRANGER["email"], STRANGER["password"]),
    "relations-rule": cmd_relations_rule,
    "relations-train": lambda port, workdir: cmd_relations_train(port, workdir, BENCH_USER["email"], BENCH_USER["password"]),
    "files-setup": cmd_files_setup,
    "files-thumbs": cmd_files_thumbs,
    "files-path": cmd_files_path,
    "files-train": cmd_files_train,
    "cpu-busy": cmd_cpu_busy,
    "rss-sampler": cmd_rss_sampler,
    "report": cmd_report,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        die(f"usage: nanobench.py {{{'|'.join(COMMANDS)}}} ARGS...")
    COMMANDS[sys.argv[1]](*sys.argv[2:])
