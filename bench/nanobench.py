#!/usr/bin/env python3
"""Helpers for bench/run (python3 standard library only).

bench/run does the orchestration (JDK, build, pinning, wrk); this file does the
parts that are easier in Python than in bash: HTTP probes against the server,
collecting record ids, parsing wrk's text output and printing the result table.

Auth: the product's read targets are "with a token and a rule", so the bench
collection has an owner rule (owner_id = @request.auth.id) and every create,
view, list and update is sent with a signed-up user's token; the server then
verifies the token and evaluates the rule on each request. `setup` writes the
tokens to files in the work folder (bench/run passes the user's to wrk as an
Authorization header); probes here read them from there.

Why ratios: absolute req/s depend on the machine (CPU model, turbo, VM noise).
Every read scenario is therefore also reported as a fraction of the same
server's GET /health throughput in the same run; /health is the cheapest route
the server has, so the ratio says how much of the HTTP stack's capacity the real
work (store lookups, JSON, filters) leaves over. Durable creates, start-up time
and peak RSS have absolute targets from docs/PERFORMANCE.md.

Sub-commands (all talk to 127.0.0.1):
  free-port                          print a free TCP port
  wait-health PORT WORKDIR TIMEOUT    poll GET /health every 2 ms; print ms
                                      from the JVM launch to the first 200
  setup PORT WORKDIR                  log in as the superuser, create the "bench"
                                      collection, sign up and log in the bench
                                      user (and a second user); write the tokens
                                      and the login body to WORKDIR
  collect-ids PORT WORKDIR EXPECTED   page through all ids (as the bench user),
                                      write WORKDIR/ids.lua
  check-exact PORT WORKDIR RECORDS    verify totalItems of the list queries as the
                                      bench user, the superuser and another user;
                                      write WORKDIR/exact.json
  check-wrk FILE...                   fail when wrk saw non-2xx/socket errors
  cpu-busy                            % of all CPUs busy over the next second
  report WORKDIR OUT.md               print the table, write the Markdown
"""
import http.client
import json
import os
import re
import sys
import time
import urllib.parse

HOST = "127.0.0.1"
RECORDS = "/api/collections/bench/records"
FILTER_S3 = 'status="s3"'

# The default first superuser (docs/API.md, "Auth"); the bench server starts on an empty data folder.
SUPERUSER = {"identity": "admin@local.host", "password": "password123"}
# The bench user owns every record; the stranger owns none and must see none (proof that the rule applies).
BENCH_USER = {"email": "bench@example.com", "password": "bench-password-1"}
STRANGER = {"email": "stranger@example.com", "password": "bench-password-2"}

# Owner-only rules (docs/API.md, "Rules"). owner_id is declared, so the server fills it with the creator's
# id, and indexed, so the list rule ANDed into every query is served by an index.
OWNER_RULE = "owner_id = @request.auth.id"
CREATE_RULE = '@request.auth.id != ""'
RULES = {"listRule": OWNER_RULE, "viewRule": OWNER_RULE, "createRule": CREATE_RULE,
         "updateRule": OWNER_RULE, "deleteRule": OWNER_RULE}
COLLECTION = {
    "name": "bench",
    "type": "base",
    "fields": [
        {"name": "title", "type": "text"},
        {"name": "status", "type": "text", "indexed": True},
        {"name": "score", "type": "number", "indexed": True},
        {"name": "body", "type": "text"},
        {"name": "owner_id", "type": "text", "indexed": True},
    ],
    **RULES,
}
# Files setup writes to the work folder: one token per caller, and the login scenario's request body.
TOKEN_FILES = {"user": "user.token", "superuser": "superuser.token", "stranger": "stranger.token"}
LOGIN_BODY_FILE = "login.json"

# name -> (label, target kind, target value). Kinds: "ratio" (to /health),
# "rps" (absolute req/s), "original" (no target: the original NanoDB's req/s,
# shown beside ours). Order is the order of the printed table.
SCENARIOS = [
    ("create", "durable create (c=64)", "rps", 15000),
    ("health", "GET /health", None, None),
    ("view", "view by id", "ratio", 0.70),
    ("list", "list 30, unfiltered", None, None),
    ("list_filter", "list 30, indexed filter status=\"s3\"", "ratio", 0.40),
    ("list_sort", "list 30, sort=-score (indexed)", None, None),
    ("update", "durable update (c=64)", None, None),
    ("login", "login, auth-with-password (bcrypt)", "original", 8.8),
]
STARTUP_TARGET_MS = 500
RSS_TARGET_MIB = 120


def die(msg):
    print(f"nanobench: ERROR: {msg}", file=sys.stderr)
    sys.exit(1)


def call(port, method, path, body=None, timeout=30, token=None):
    """One request on a fresh connection; returns (status, text). token: sent
    bare in Authorization (the SDK's form), as wrk sends it."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"Authorization": token} if token else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def request_json(port, method, path, body=None, token=None):
    """A request that must answer 2xx with a JSON object; dies otherwise."""
    status, text = call(port, method, path, body, token=token)
    shown = f"{method} {path}"
    if body is not None and "password" not in body:  # never print a password
        shown += " " + json.dumps(body)
    if not 200 <= status < 300:
        die(f"{shown} -> {status}: {text[:500]}")
    try:
        answer = json.loads(text)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        die(f"{shown} -> {status} but not a JSON object: {text[:500]}")
    return answer


def get_json(port, path, token=None):
    return request_json(port, "GET", path, token=token)


def read_token(workdir, who):
    with open(os.path.join(workdir, TOKEN_FILES[who])) as f:
        return f.read().strip()


def login(port, collection, identity, password):
    """auth-with-password; returns (token, record id)."""
    answer = request_json(port, "POST", f"/api/collections/{collection}/auth-with-password",
                          {"identity": identity, "password": password})
    token, record = answer.get("token"), answer.get("record") or {}
    if not isinstance(token, str) or not token or not record.get("id"):
        die(f"login to {collection} as {identity}: no token or record in the answer")
    return token, record["id"]


def process_alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


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
    for who, token in tokens.items():
        with open(os.path.join(workdir, TOKEN_FILES[who]), "w") as f:
            f.write(token + "\n")
    with open(os.path.join(workdir, LOGIN_BODY_FILE), "w") as f:
        json.dump({"identity": BENCH_USER["email"], "password": BENCH_USER["password"]}, f)


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


def cmd_check_exact(port, workdir, records):
    port, records = int(port), int(records)
    out_path = os.path.join(workdir, "exact.json")
    s3 = f"{RECORDS}?perPage=30&filter=" + urllib.parse.quote(FILTER_S3, safe="")
    everything = f"{RECORDS}?perPage=30"
    # The bench user owns every record, so the rule ANDed into its queries must keep all of them; a superuser
    # bypasses rules and must see the same totals; another user owns nothing and must see nothing.
    checks = [("user", s3, records // 10), ("user", everything, records),
              ("superuser", s3, records // 10), ("superuser", everything, records),
              ("stranger", everything, 0)]
    results, ok = [], True
    for who, path, want in checks:
        got = get_json(port, path, read_token(workdir, who)).get("totalItems")
        passed = got == want
        ok &= passed
        results.append({"who": who, "path": path, "want": want, "got": got, "pass": passed})
        print(f"  {'PASS' if passed else 'FAIL'}  GET {path} as the {who}: totalItems={got} (want {want})")
    with open(out_path, "w") as f:
        json.dump({"pass": ok, "checks": results}, f)
    if not ok:
        sys.exit(3)


UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def to_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    return float(m.group(1)) * UNIT_MS[m.group(2)] if m else None


def parse_wrk(path):
    """The numbers we use from wrk's text output (and our create.lua lines)."""
    with open(path) as f:
        text = f.read()
    r = {"text": text}
    m = re.search(r"(\d+) threads and (\d+) connections", text)
    r["conns"] = int(m.group(2)) if m else None
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    r["rps"] = float(m.group(1)) if m else None
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M)
        r["p" + pct] = to_ms(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    r["non2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    r["socket_errors"] = sum(map(int, m.groups())) if m else 0
    m = re.search(r"^BENCH created=(\d+) errors=(\d+) filler=(\d+) duration_us=(\d+)", text, re.M)
    if m:  # create.lua: count only real creates, not the /health fillers
        created, errors, _, dur_us = map(int, m.groups())
        r.update(created=created, lua_errors=errors, rps=created / (dur_us / 1e6))
    return r


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


def read_kv(path):
    out = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    out[k] = v
    return out


def fmt_ms(v):
    if v is None:
        return "-"
    return f"{v:.2f} ms" if v < 10 else f"{v:.1f} ms"


def verdict(ok):
    return "PASS" if ok else "MISS"


def cmd_report(workdir, out_md):
    meta = read_kv(os.path.join(workdir, "meta.txt"))
    runs = {}
    for name, *_ in SCENARIOS:
        path = os.path.join(workdir, f"wrk-{name}.txt")
        if os.path.exists(path):
            runs[name] = parse_wrk(path)
    health = runs.get("health", {}).get("rps")

    rows = [("scenario", "conns", "req/s", "p50", "p99", "÷ /health", "target", "result")]
    for name, label, kind, target in SCENARIOS:
        r = runs.get(name)
        if not r:
            continue
        ratio = r["rps"] / health if health and r["rps"] and kind != "original" else None
        tgt, res = "", ""
        if kind == "original":
            tgt = f"(original: {target}/s)"
        elif kind == "ratio":
            tgt, res = f"≥ {target:.2f}", verdict(ratio is not None and ratio >= target)
        elif kind == "rps":
            tgt, res = f"≥ {target:,}/s", verdict(r["rps"] is not None and r["rps"] >= target)
        # A decimal for slow scenarios (logins), so they compare with the original's 8.8/s.
        rps = f"{r['rps']:,.0f}" if r["rps"] >= 100 else f"{r['rps']:.1f}"
        rows.append((label, str(r["conns"]), rps, fmt_ms(r["p50"]), fmt_ms(r["p99"]),
                     f"{ratio:.2f}" if ratio is not None else "-", tgt, res))

    checks = [("check", "value", "target", "result")]
    cold = meta.get("startup_cold_ms")
    if cold:
        checks.append(("first 200 from /health, first start (no start-up cache yet)", f"{cold} ms", "", ""))
    startup = meta.get("startup_ms")
    if startup:
        checks.append(("first 200 from /health after JVM launch (start-up cache from the first start)",
                       f"{startup} ms", f"≤ {STARTUP_TARGET_MS} ms", verdict(int(startup) <= STARTUP_TARGET_MS)))
    hwm = meta.get("vmhwm_kb")
    if hwm:
        hwm_mib = int(hwm) / 1024
        checks.append(("peak RSS (VmHWM, whole run)", f"{hwm_mib:.1f} MiB",
                       f"≤ {RSS_TARGET_MIB} MiB", verdict(hwm_mib <= RSS_TARGET_MIB)))
        rss_log = os.path.join(workdir, "rss.log")
        if os.path.exists(rss_log):
            with open(rss_log) as f:
                samples = [int(x) for x in f.read().split() if x.isdigit()]
            if samples:
                checks.append((f"max of {len(samples)} VmRSS samples (1/s)", f"{max(samples) / 1024:.1f} MiB", "", ""))
        if meta.get("vmrss_kb"):
            checks.append(("VmRSS at the end", f"{int(meta['vmrss_kb']) / 1024:.1f} MiB", "", ""))
        if meta.get("rss_parts"):
            checks.append(("RSS at the end by kind", meta["rss_parts"], "", ""))
    exact_path = os.path.join(workdir, "exact.json")
    if os.path.exists(exact_path):
        with open(exact_path) as f:
            exact = json.load(f)
        labels = {"user": "exact totalItems as the bench user (status=\"s3\", all)",
                  "superuser": "exact totalItems as a superuser, no rule (status=\"s3\", all)",
                  "stranger": "totalItems as another user (the owner rule hides every record)"}
        for who, label in labels.items():
            mine = [c for c in exact["checks"] if c.get("who", "user") == who]
            if mine:
                checks.append((label, ", ".join(f"{c['got']}/{c['want']}" for c in mine), "equal",
                               "PASS" if all(c["pass"] for c in mine) else "FAIL"))
    if meta.get("shutdown"):
        checks.append(("SIGTERM shutdown", meta["shutdown"], "exit 0", ""))
    if meta.get("log_errors"):
        # Informative: the run does not fail on them (bench/run printed the lines).
        checks.append(("ERROR lines in the server log", meta["log_errors"], "0", ""))

    info = [f"date: {meta.get('date', '?')}", f"commit: {meta.get('commit', '?')}",
            f"JDK: {meta.get('jdk', '?')}", f"CPU: {meta.get('cpu', '?')}",
            f"pinning: {meta.get('pinning', '?')}",
            f"CPU busy in the second before the server started: {meta.get('cpu_busy', '?')} %",
            f"records: {meta.get('records', '?')}; each scenario {meta.get('duration', '?')} s "
            f"after a {meta.get('warmup', '?')} s warm-up (wrk, 1 thread)",
            f"JVM flags: {meta.get('jvm_opts', '?')}",
            f"auth: creates, views, lists and updates sent with a user's token (`Authorization` header) to a "
            f"collection with an owner rule, evaluated on every request: list/view/update `{OWNER_RULE}` "
            f"(owner_id indexed), create `{CREATE_RULE}`; the user owns every record; /health anonymous",
            f"login: auth-with-password as that user, {meta.get('login_conns', '?')} connections, "
            f"{meta.get('login_duration', '?')} s; server env {meta.get('server_env', '?')}"]

    print()
    for line in info:
        print(line)
    print()
    print_table(rows, numeric_cols=(1, 2, 3, 4, 5))
    print()
    print_table(checks)

    with open(out_md, "w") as f:
        f.write("# NanoDB benchmark: latest run\n\nWritten by `bench/run`; see docs/PERFORMANCE.md.\n\n")
        f.writelines(f"- {line}\n" for line in info)
        f.write("\n" + md_table(rows) + "\n" + md_table(checks))


def print_table(rows, numeric_cols=()):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("  ".join(c.rjust(w) if i in numeric_cols else c.ljust(w)
                        for i, (c, w) in enumerate(zip(row, widths))).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def md_table(rows):
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows[1:]]
    return "\n".join(lines) + "\n"


COMMANDS = {
    "free-port": cmd_free_port,
    "wait-health": cmd_wait_health,
    "setup": cmd_setup,
    "collect-ids": cmd_collect_ids,
    "check-exact": cmd_check_exact,
    "check-wrk": cmd_check_wrk,
    "cpu-busy": cmd_cpu_busy,
    "report": cmd_report,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        die(f"usage: nanobench.py {{{'|'.join(COMMANDS)}}} ARGS...")
    COMMANDS[sys.argv[1]](*sys.argv[2:])
