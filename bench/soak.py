"""The soak mode of bench/run (`bench/run --soak --minutes N`, see docs/PERFORMANCE.md, "Soak"; python3 standard
library only).

`nanobench.py soak` runs cmd_soak: SSE subscribers (the realtime phase's streams, realtime_probe.py) subscribe to
the `bench` collection, then for N minutes paced workers send mixed traffic to it — views, indexed lists, creates,
PATCH updates, deletes and PocketBase-shape batches (`POST /api/batch`) — while the streams count the events they
receive. Every SOAK_SAMPLE_S seconds a sample: requests per second per kind, errors by kind and cause, the
server's RSS (/proc), its heap (/health) and its realtime figures (/api/stats). Writes WORKDIR/soak.json.

`nanobench.py soak-report` turns soak.json into the console summary and bench/results/soak-latest.md, with the
verdicts: no error of any kind, and RSS flat after the warm-up (no growth beyond a tolerance). Exit 2 when there
were errors, 4 when RSS grew.

Stability is the point, not saturation: every kind runs at a fixed rate (SOAK_RATES), so a sample differs from the
previous one only by what the server does over time. The writes are what sets the pace: each one is an event for
every subscriber (1,000 by default), delivered by the server's one core and read by this process on the other.
The collection's size stays about constant: creates and deletes run at the same rate, deletes removing records the
soak created (oldest first), so RSS can be flat; views and updates go to the records loaded before the soak, which
are never deleted.
"""
import asyncio
import collections
import gc
import json
import math
import os
import random
import sys
import time
import urllib.parse

from common import HOST, die, fmt_ms, process_alive, read_token
from realtime_probe import (_READ_BUF, RT_STRANGERS, Activity, BenchError, SseStream, close_streams, http_request,
                            open_streams, percentiles, proc_status_kb, rt_stats, subscribe_all, wait_clients)
from report import md_table, print_table, read_kv

RECORDS = "/api/collections/bench/records"
TOPIC = "bench/*"
KINDS = ("view", "list", "create", "update", "delete", "batch")
# Requests per second per kind (SOAK_RATES overrides any of them, e.g. "view=500,batch=0"), and the keep-alive
# connections each kind spreads its rate over. The writes set the budget: each is an event for every subscriber,
# one socket write per subscriber on the server's single core (bench/run's realtime phase: 10-30 ms from the first
# to the last of 1,000). Creates, updates and deletes at 5/s and a batch of 5 a second make 20 events a second:
# 20,000 deliveries a second to 1,000 subscribers, which leaves the server's core room for the reads, and few
# enough for this process (Python, one core) to read them without falling behind. The samples show both CPUs.
DEFAULT_RATES = {"view": 100, "list": 50, "create": 5, "update": 5, "delete": 5, "batch": 1}
CONNS = {"view": 4, "list": 4, "create": 2, "update": 2, "delete": 2, "batch": 1}
# A batch: two creates, an update of a loaded record, two deletes of records the soak created (so, like the
# single writes, it leaves the collection's size unchanged).
BATCH_CREATES, BATCH_UPDATES, BATCH_DELETES = 2, 1, 2
# Deletes wait while fewer than this many records created by the soak are left (at the start, mostly).
DELETE_LOW_WATER = 50
REQUEST_TIMEOUT_S = 10
SAMPLE_S = 15
# After the traffic stops: wait until every subscriber has every event and no stream has read anything for QUIET_S
# (or nothing for 5 × QUIET_S; at most DRAIN_S), then count.
QUIET_S = 1.0
DRAIN_S = 20
RSS_TOLERANCE_MIB = 10
BODY_TEXT = "The quick brown fox jumps over the lazy dog while the benchmark keeps writing records to NanoDB."
# Lists of 30, both served by an index, alternately: an equality filter on status (each value matches a tenth of
# the records) and a sort on score.
STATUS_FILTERS = [urllib.parse.quote(f'status="s{k}"', safe="") for k in range(10)]
EVENT_MARK = b"event:"  # one per SSE event frame (SseSink); heartbeats are comments (":")


def env_number(name, default, cast=float):
    value = os.environ.get(name, "")
    try:
        return cast(value) if value else default
    except ValueError:
        die(f"{name}={value!r} is not a number")


def soak_rates():
    rates = dict(DEFAULT_RATES)
    for part in filter(None, os.environ.get("SOAK_RATES", "").replace(" ", "").split(",")):
        kind, _, value = part.partition("=")
        if kind not in rates:
            die(f"SOAK_RATES: unknown kind {kind!r} (kinds: {', '.join(KINDS)})")
        try:
            rates[kind] = float(value)
        except ValueError:
            die(f"SOAK_RATES: {part!r} is not kind=requests-per-second")
    return rates


class CountingStream(SseStream):
    """A realtime stream that, once count() is called, only counts the events it reads (by their `event:` line),
    keeping nothing: at tens of events a second for minutes, the realtime phase's keep-every-read would grow
    without bound. Before that (PB_CONNECT), it behaves as SseStream. Each event is one chunk written at once, so
    the mark can only be split between two reads, never by chunk framing; the last bytes of a read are kept to
    find it across the split."""
    counting = False
    events = 0
    tail = b""

    def count(self):
        self.reset()
        self.counting = True

    def buffer_updated(self, nbytes):
        if not self.counting:
            return super().buffer_updated(nbytes)
        self.activity.last = time.monotonic()
        data = self.tail + bytes(_READ_BUF[:nbytes])
        self.events += data.count(EVENT_MARK)
        self.tail = data[-(len(EVENT_MARK) - 1):]


class Tally:
    """One kind's outcomes since the start: successes, errors by cause ("HTTP 404", "socket", "timeout", "bad
    answer"), latencies of the successes (s), and events the subscribers must receive for them."""

    def __init__(self):
        self.ok = 0
        self.errors = collections.Counter()
        self.latencies = []
        self.events = 0
        self.unknown = 0  # writes whose outcome is unknown (socket error, timeout): their events may or may not come


class Client:
    """One keep-alive connection of a worker, as the bench user; reopened after a socket error or a timeout."""

    def __init__(self, port, token):
        self.port, self.token, self.conn = port, token, None

    async def send(self, method, path, body=None):
        try:
            if self.conn is None:
                self.conn = await asyncio.wait_for(asyncio.open_connection(HOST, self.port), REQUEST_TIMEOUT_S)
            return await asyncio.wait_for(http_request(self.port, method, path, body, self.token, self.conn),
                                          REQUEST_TIMEOUT_S)
        except BaseException:
            self.close()
            raise

    def close(self):
        if self.conn is not None:
            self.conn[1].close()
            self.conn = None


class Soak:
    def __init__(self, port, tokens, seed_ids, rates):
        self.port, self.tokens, self.seed_ids, self.rates = port, tokens, seed_ids, rates
        self.tally = {kind: Tally() for kind in KINDS + ("monitor",)}
        self.created = collections.deque()  # ids of records the soak created and has not deleted yet, oldest first
        self.stop = asyncio.Event()

    # ---- one request, counted
    async def attempt(self, kind, client, method, path, body=None, write=False):
        """Sends one request; counts a success (2xx) or the error's cause. Returns the answer's text on success."""
        tally = self.tally[kind]
        t0 = time.monotonic()
        try:
            status, text = await client.send(method, path, body)
        except TimeoutError:  # asyncio's is the built-in one; an OSError, so first
            tally.errors["timeout"] += 1
            tally.unknown += write
            return None
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as e:
            tally.errors["socket"] += 1
            tally.unknown += write
            if sum(tally.errors.values()) <= 3:
                print(f"  {kind}: {method} {path}: {e!r}", file=sys.stderr)
            return None
        if not 200 <= status < 300:
            tally.errors[f"HTTP {status}"] += 1
            if tally.errors[f"HTTP {status}"] <= 2:
                print(f"  {kind}: {method} {path} -> {status}: {text[:200]}", file=sys.stderr)
            return None
        tally.latencies.append(time.monotonic() - t0)
        return text

    def record(self, i):
        return {"title": f"soak {i}", "status": f"s{i % 10}", "score": random.randint(0, 1_000_000),
                "body": BODY_TEXT}

    def success(self, kind, events):
        self.tally[kind].ok += 1
        self.tally[kind].events += events

    # ---- the kinds: each does one request (or nothing, for a delete with no record to delete yet)
    async def view(self, client, i):
        if await self.attempt("view", client, "GET", f"{RECORDS}/{random.choice(self.seed_ids)}") is not None:
            self.success("view", 0)

    async def list(self, client, i):
        query = f"filter={STATUS_FILTERS[i // 2 % 10]}" if i % 2 else "sort=-score"
        if await self.attempt("list", client, "GET", f"{RECORDS}?perPage=30&{query}") is not None:
            self.success("list", 0)

    async def create(self, client, i):
        text = await self.attempt("create", client, "POST", RECORDS, self.record(i), write=True)
        if text is not None:
            self.created.append(json.loads(text)["id"])
            self.success("create", 1)

    async def update(self, client, i):
        body = {"score": random.randint(0, 1_000_000)}
        path = f"{RECORDS}/{random.choice(self.seed_ids)}"
        if await self.attempt("update", client, "PATCH", path, body, write=True) is not None:
            self.success("update", 1)

    async def delete(self, client, i):
        if len(self.created) <= DELETE_LOW_WATER:
            return
        rid = self.created.popleft()
        if await self.attempt("delete", client, "DELETE", f"{RECORDS}/{rid}", write=True) is not None:
            self.success("delete", 1)

    async def batch(self, client, i):
        deletes = [self.created.popleft() for _ in range(BATCH_DELETES)] \
            if len(self.created) > DELETE_LOW_WATER + BATCH_DELETES else []
        ops = [{"method": "POST", "url": RECORDS, "body": self.record(i * 10 + k)} for k in range(BATCH_CREATES)]
        ops += [{"method": "PATCH", "url": f"{RECORDS}/{random.choice(self.seed_ids)}",
                 "body": {"score": random.randint(0, 1_000_000)}} for _ in range(BATCH_UPDATES)]
        ops += [{"method": "DELETE", "url": f"{RECORDS}/{rid}"} for rid in deletes]
        unknown = self.tally["batch"].unknown
        text = await self.attempt("batch", client, "POST", "/api/batch", {"requests": ops}, write=True)
        if text is None:
            if self.tally["batch"].unknown == unknown:  # refused: nothing applied, the records are still there
                self.created.extendleft(reversed(deletes))
            return
        try:  # PocketBase shape: one {status, body} per operation, in order
            results = json.loads(text)
            statuses = [r["status"] for r in results]
            new_ids = [r["body"]["id"] for r in results[:BATCH_CREATES]]
        except (ValueError, TypeError, KeyError, IndexError):
            statuses, new_ids = [], []
        if len(statuses) != len(ops) or not all(200 <= s < 300 for s in statuses) or len(new_ids) != BATCH_CREATES:
            self.tally["batch"].errors["bad answer"] += 1
            self.tally["batch"].unknown += 1
            print(f"  batch: 200 with an unexpected body: {text[:200]}", file=sys.stderr)
            return
        self.created.extend(new_ids)
        self.success("batch", len(ops))

    async def worker(self, kind, index, rate):
        """Paced: one request every conns / rate seconds on this connection. Behind by more than a second (a slow
        answer), it goes on from now instead of sending the backlog in a burst."""
        interval = CONNS[kind] / rate
        client = Client(self.port, self.tokens["user"])
        op = getattr(self, kind)
        i = index
        due = time.monotonic() + random.uniform(0, interval)
        try:
            while not self.stop.is_set():
                now = time.monotonic()
                if due > now:
                    try:
                        await asyncio.wait_for(self.stop.wait(), due - now)
                        break
                    except TimeoutError:
                        pass
                await op(client, i)
                i += CONNS[kind]
                due = max(due + interval, time.monotonic() - 1)
        finally:
            client.close()

    # ---- sampling
    async def monitor(self, pid):
        """The server's heap (GET /health) and realtime figures (GET /api/stats, as the superuser); errors count
        as kind "monitor", so that a server that stops answering them fails the soak too."""
        client = Client(self.port, self.tokens["superuser"])
        out = {}
        try:
            text = await self.attempt("monitor", client, "GET", "/health")
            if text is not None:
                self.success("monitor", 0)
                out["heap_used_kb"] = json.loads(text).get("memory", {}).get("heapUsed", 0) // 1024
            text = await self.attempt("monitor", client, "GET", "/api/stats")
            if text is not None:
                self.success("monitor", 0)
                out["stats"] = json.loads(text).get("realtime", {})
        finally:
            client.close()
        status = proc_status_kb(pid)
        out.update(rss_kb=status["VmRSS"], anon_kb=status.get("RssAnon"), file_kb=status.get("RssFile"),
                   server_cpu_s=cpu_seconds(pid), probe_cpu_s=sum(os.times()[:2]))
        return out


def cpu_seconds(pid):
    """User + system CPU time of a process so far (/proc/PID/stat), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def snapshot(soak, subs):
    return {"ok": {k: t.ok for k, t in soak.tally.items()},
            "errors": {k: collections.Counter(t.errors) for k, t in soak.tally.items()},
            "events": sum(s.events for s in subs)}


def fmt_clock(seconds):
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def print_sample(s):
    rates = " ".join(f"{k} {s['rps'][k]:.0f}" for k in KINDS)
    errs = sum(n for k, e in s["errors"].items() if k != "batch" for n in e.values())
    batch = sum(s["errors"].get("batch", {}).values())
    heap = f", heap {s['heap_used_kb'] / 1024:.0f}" if s.get("heap_used_kb") is not None else ""
    print(f"  {fmt_clock(s['t'])}  req/s {rates} | errors {errs}, batch {batch} | RSS {s['rss_kb'] / 1024:.1f} MiB"
          f"{heap} | SSE {s['sse_events_per_s']:,.0f} events/s, {s['sse_open']} open | CPU server "
          f"{s['server_cpu']:.0f} %, probe {s['probe_cpu']:.0f} %", flush=True)


async def soak_main(port, pid, minutes, n, tokens, seed_ids, rates, sample_s):
    su = tokens["superuser"]
    activity = Activity()
    subs = await open_streams(port, n, activity, CountingStream)
    strangers = await open_streams(port, RT_STRANGERS, activity, CountingStream)
    everyone = subs + strangers
    try:
        await subscribe_all(port, subs, tokens["user"], [TOPIC])
        await subscribe_all(port, strangers, tokens["stranger"], [TOPIC])
        counted = await wait_clients(port, su, len(everyone))
        if counted != len(everyone):
            raise BenchError(f"/api/stats counts {counted} realtime clients, {len(everyone)} are open")
        for s in everyone:
            s.count()
        print(f"  {n} subscribers + {RT_STRANGERS} of another user subscribed to {TOPIC}")
        soak = Soak(port, tokens, seed_ids, rates)
        before = await soak.monitor(pid)
        if "stats" not in before:
            raise BenchError("GET /api/stats failed before the soak")
        # Python's cyclic GC over thousands of stream objects would stall every read now and then; nothing here
        # makes reference cycles that need it for minutes.
        gc.collect()
        gc.freeze()
        t0 = time.monotonic()
        end = t0 + minutes * 60
        workers = [asyncio.create_task(soak.worker(kind, i, rate))
                   for kind, rate in rates.items() if rate > 0 for i in range(CONNS[kind])]
        samples, prev, prev_t, prev_m = [], snapshot(soak, subs), t0, before
        due = t0
        while (now := time.monotonic()) < end - 0.5:
            due = min(due + sample_s, end)  # on a fixed grid: the time a sample takes does not shift the next
            await asyncio.sleep(max(0.0, due - now))
            cur, now = snapshot(soak, subs), time.monotonic()
            dt = now - prev_t
            m = await soak.monitor(pid)
            sample = {"t": now - t0, "dt": dt,
                      "rps": {k: (cur["ok"][k] - prev["ok"][k]) / dt for k in KINDS},
                      "errors": {k: dict(cur["errors"][k] - prev["errors"][k]) for k in cur["errors"]
                                 if cur["errors"][k] - prev["errors"][k]},
                      "sse_events_per_s": (cur["events"] - prev["events"]) / dt,
                      "sse_open": sum(1 for s in subs if not s.lost),
                      "server_clients": m.get("stats", {}).get("clients"),
                      "server_dropped": m.get("stats", {}).get("droppedSlow", 0)
                      - before["stats"].get("droppedSlow", 0),
                      # % of one core: the server's (pinned to one) and this process's (the load CPU)
                      "server_cpu": 100 * (m["server_cpu_s"] - prev_m["server_cpu_s"]) / dt,
                      "probe_cpu": 100 * (m["probe_cpu_s"] - prev_m["probe_cpu_s"]) / dt,
                      **{k: m.get(k) for k in ("rss_kb", "anon_kb", "file_kb", "heap_used_kb")}}
            samples.append(sample)
            print_sample(sample)
            prev, prev_t, prev_m = cur, now, m
            if not process_alive(pid):
                raise BenchError("the server process exited during the soak")
        soak.stop.set()
        done, pending = await asyncio.wait(workers, timeout=REQUEST_TIMEOUT_S + 5)
        for task in pending:
            task.cancel()
        for task in done:
            if task.exception():
                raise task.exception()
        duration = time.monotonic() - t0

        # Deliveries are over when every subscriber has an event for every write, or nothing has been read for
        # QUIET_S, at most DRAIN_S after the traffic stopped.
        expected = sum(t.events for t in soak.tally.values())
        unknown = sum(t.unknown for t in soak.tally.values())
        deadline = time.monotonic() + DRAIN_S
        while time.monotonic() < deadline:
            quiet = time.monotonic() - activity.last
            if quiet >= 5 * QUIET_S or quiet >= QUIET_S and all(s.events >= expected for s in subs):
                break
            await asyncio.sleep(0.2)
        gc.unfreeze()
        after = await rt_stats(port, su)
    finally:
        close_streams(everyone)
    # Each subscriber (connected throughout) must have one event per write: no fewer; more only for writes whose
    # outcome the soak does not know (an answer lost to a socket error or a timeout).
    received = [s.events for s in subs]
    missing = sum(max(0, expected - r) for r in received)
    extra = sum(max(0, r - expected - unknown) for r in received)
    out = {"minutes": minutes, "duration_s": duration, "sample_s": sample_s, "rates": rates, "conns": CONNS,
           "subscribers": n, "strangers": RT_STRANGERS, "topic": TOPIC, "seed_records": len(seed_ids),
           "batch_ops": {"create": BATCH_CREATES, "update": BATCH_UPDATES, "delete": BATCH_DELETES},
           "samples": samples, "before": before,
           "kinds": {k: {"ok": t.ok, "errors": dict(t.errors), "unknown": t.unknown, "events": t.events,
                         "latency_ms": percentiles(t.latencies)} for k, t in soak.tally.items()},
           "sse": {"expected_per_subscriber": expected, "unknown_writes": unknown,
                   "received_min": min(received, default=0), "received_max": max(received, default=0),
                   "missing": missing, "extra": extra,
                   "closed_by_server": sum(1 for s in everyone if s.lost),
                   "leaked": sum(s.events for s in strangers),
                   "server_dropped": after["droppedSlow"] - before["stats"]["droppedSlow"],
                   "server_events": after["events"] - before["stats"]["events"]},
           "soak_created_left": len(soak.created)}
    out["sse"]["left_open"] = await wait_clients(port, su, 0, timeout=10)
    return out


def read_ids(workdir):
    """The ids collect-ids wrote (ids.lua: one id a line inside a Lua long string)."""
    with open(os.path.join(workdir, "ids.lua")) as f:
        blob = f.read().split("[[\n", 1)[1].split("\n]]", 1)[0]
    return blob.split()


def cmd_soak(port, workdir, server_pid, minutes, subscribers):
    port, pid, minutes, n = int(port), int(server_pid), float(minutes), int(subscribers)
    rates = soak_rates()
    sample_s = env_number("SOAK_SAMPLE_S", SAMPLE_S)
    tokens = {who: read_token(workdir, who) for who in ("user", "stranger", "superuser")}
    seed_ids = read_ids(workdir)
    print(f"  rates (req/s): {', '.join(f'{k} {v:g}' for k, v in rates.items())}; a sample every {sample_s:g} s")
    try:
        result = asyncio.run(soak_main(port, pid, minutes, n, tokens, seed_ids, rates, sample_s))
    except (BenchError, OSError, asyncio.IncompleteReadError) as e:
        if not process_alive(pid):
            die(f"soak: the server process exited during the soak ({e!r})")
        die(f"soak: {e!r}")
    with open(os.path.join(workdir, "soak.json"), "w") as f:
        json.dump(result, f, indent=1)


# --------------------------------------------------------------- the report

def rss_drift(samples, warmup_min, sample_s):
    """RSS after the warm-up: the mean VmRSS over the last minute of the run − the mean over the last minute of the
    warm-up (means of a minute, because RSS saws up and down by several MiB between samples as the heap fills and
    the native heap is trimmed; a leak lifts the whole saw), and the least-squares slope of the samples from the
    warm-up's last minute on. MiB and MiB/min; None without samples on both sides."""
    if not samples:
        return None
    window = min(60.0, warmup_min * 60)
    end_t = samples[-1]["t"]
    warm_end = warmup_min * 60 + sample_s / 2  # a sample due at the warm-up's end belongs to it
    base = [s for s in samples if warmup_min * 60 - window < s["t"] <= warm_end]
    end = [s for s in samples if s["t"] > max(end_t - window, warm_end)]
    if not base or not end:
        return None
    mean = lambda xs, key: sum(x[key] for x in xs) / len(xs) / 1024
    out = {"from_t": base[-1]["t"], "slope_from_t": warmup_min * 60 - window, "to_t": end_t, "window_s": window, "from_mib": mean(base, "rss_kb"),
           "to_mib": mean(end, "rss_kb"), "anon_drift_mib": None, "slope_mib_per_min": None}
    out["drift_mib"] = out["to_mib"] - out["from_mib"]
    if all(x.get("anon_kb") is not None for x in base + end):
        out["anon_drift_mib"] = mean(end, "anon_kb") - mean(base, "anon_kb")
    points = [s for s in samples if s["t"] > warmup_min * 60 - window]
    out["points"] = len(points)
    if len(points) >= 3:
        xs = [p["t"] / 60 for p in points]
        ys = [p["rss_kb"] / 1024 for p in points]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        var = sum((x - mx) ** 2 for x in xs)
        out["slope_mib_per_min"] = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var if var else None
    return out


def error_text(errors):
    """{"kind": {"cause": n}} -> "create HTTP 500 × 3, view timeout × 1" (or "0")."""
    parts = [f"{kind} {cause} × {n}" for kind, causes in errors.items() for cause, n in sorted(causes.items())]
    return ", ".join(parts) or "0"


def cmd_soak_report(workdir, out_md):
    with open(os.path.join(workdir, "soak.json")) as f:
        r = json.load(f)
    meta = read_kv(os.path.join(workdir, "meta.txt"))
    minutes = r["minutes"]
    warmup_min = env_number("SOAK_WARMUP_MIN", min(2.0, minutes / 2))
    tolerance = env_number("SOAK_RSS_TOLERANCE_MIB", RSS_TOLERANCE_MIB)
    samples, sse, kinds = r["samples"], r["sse"], r["kinds"]

    rows = [("time", *(f"{k} /s" for k in KINDS), "errors", "batch errors", "RSS MiB", "anon MiB", "heap MiB",
             "SSE events/s", "SSE open (server)", "CPU server / probe")]
    for s in samples:
        errs = sum(n for k, e in s["errors"].items() if k != "batch" for n in e.values())
        heap = f"{s['heap_used_kb'] / 1024:.0f}" if s.get("heap_used_kb") is not None else "-"
        anon = f"{s['anon_kb'] / 1024:.1f}" if s.get("anon_kb") is not None else "-"
        rows.append((fmt_clock(s["t"]), *(f"{s['rps'][k]:.0f}" if s['rps'][k] >= 10 else f"{s['rps'][k]:.1f}"
                                          for k in KINDS),
                     str(errs), str(sum(s["errors"].get("batch", {}).values())), f"{s['rss_kb'] / 1024:.1f}", anon,
                     heap, f"{s['sse_events_per_s']:,.0f}", f"{s['sse_open']} ({s.get('server_clients')})",
                     f"{s['server_cpu']:.0f} / {s['probe_cpu']:.0f} %"))

    lat = [("kind", "requests ok", "target /s", "achieved /s", "p50", "p99", "max", "errors")]
    for k in KINDS + ("monitor",):
        t, l = kinds[k], kinds[k]["latency_ms"] or {}
        target = f"{r['rates'][k]:g}" if k in r["rates"] else "-"
        lat.append((k, f"{t['ok']:,}", target, f"{t['ok'] / r['duration_s']:.1f}", fmt_ms(l.get("p50")),
                    fmt_ms(l.get("p99")), fmt_ms(l.get("max")), str(sum(t["errors"].values()))))

    http_errors = {k: t["errors"] for k, t in kinds.items() if k != "batch" and t["errors"]}
    batch_errors = {"batch": kinds["batch"]["errors"]} if kinds["batch"]["errors"] else {}
    n_http = sum(n for e in http_errors.values() for n in e.values())
    n_batch = sum(kinds["batch"]["errors"].values())
    n_sse = sse["missing"] + sse["extra"] + sse["closed_by_server"] + sse["leaked"] + sse["server_dropped"]
    drift = rss_drift(samples, warmup_min, r["sample_s"])
    # A leak makes RSS grow: the verdict fails on growth beyond the tolerance. A fall is shown for what it is (the
    # warm-up's memory being returned), not counted as a failure.
    flat = drift is not None and drift["drift_mib"] <= tolerance
    shape = "-" if drift is None else ("GROWING" if not flat else "FLAT" if drift["drift_mib"] >= -tolerance
                                       else "FALLING (no growth)")

    checks = [("check", "value", "target", "result")]
    checks.append(("errors: non-2xx, socket errors, timeouts (views, lists, creates, updates, deletes, monitor)",
                   f"{n_http}" + (f": {error_text(http_errors)}" if n_http else ""), "0",
                   "PASS" if n_http == 0 else "FAIL"))
    checks.append(("errors of POST /api/batch (PocketBase shape)",
                   f"{n_batch}" + (f": {error_text(batch_errors)}" if n_batch else ""), "0",
                   "PASS" if n_batch == 0 else "FAIL"))
    checks.append((f"SSE: {sse['expected_per_subscriber']:,} events per subscriber expected (one per write), "
                   f"received min / max",
                   f"{sse['received_min']:,} / {sse['received_max']:,}"
                   + (f" ({sse['unknown_writes']} writes of unknown outcome)" if sse["unknown_writes"] else ""),
                   "", ""))
    checks.append(("SSE: events missing, events beyond the writes (over all subscribers)",
                   f"{sse['missing']:,}, {sse['extra']:,}", "0, 0",
                   "PASS" if not sse["missing"] and not sse["extra"] else "FAIL"))
    checks.append(("SSE: streams closed by the server (disconnects); clients dropped as slow (/api/stats)",
                   f"{sse['closed_by_server']}; {sse['server_dropped']}", "0; 0",
                   "PASS" if not sse["closed_by_server"] and not sse["server_dropped"] else "FAIL"))
    checks.append((f"SSE: events delivered to the other user's {r['strangers']} streams (owner rule)",
                   str(sse["leaked"]), "0", "PASS" if not sse["leaked"] else "FAIL"))
    total = n_http + n_batch + n_sse
    checks.append(("total errors (the lines above)", str(total), "0", "PASS" if total == 0 else "FAIL"))
    if drift:
        slope = drift["slope_mib_per_min"]
        w = fmt_clock(drift["window_s"])
        checks.append((f"RSS drift after the {warmup_min:g} min warm-up: mean VmRSS of the last {w} of the run − "
                       f"of the {w} up to {fmt_clock(drift['from_t'])}",
                       f"{drift['drift_mib']:+.1f} MiB ({drift['from_mib']:.1f} → {drift['to_mib']:.1f} MiB)",
                       f"≤ +{tolerance:g} MiB", shape))
        checks.append((f"VmRSS slope from {fmt_clock(drift['slope_from_t'])} on (least squares "
                       f"over {drift['points']} samples)",
                       f"{slope:+.2f} MiB/min" if slope is not None else "- (too few samples)", "", ""))
        if drift["anon_drift_mib"] is not None:
            checks.append(("anonymous RSS (RssAnon) drift, the same means", f"{drift['anon_drift_mib']:+.1f} MiB",
                           "", ""))
    else:
        checks.append(("RSS drift after the warm-up", "- (no sample after the warm-up)", f"≤ +{tolerance:g} MiB",
                       "UNKNOWN"))
    checks.append(("server realtime events published during the soak (/api/stats)", f"{sse['server_events']:,}",
                   "", ""))
    checks.append(("records created by the soak and not deleted at the end", f"{r['soak_created_left']:,}", "", ""))
    checks.append(("streams the server still counts 10 s after the probe closed them", str(sse["left_open"]), "0",
                   "PASS" if sse["left_open"] == 0 else "FAIL"))
    if meta.get("shutdown"):
        checks.append(("SIGTERM shutdown", meta["shutdown"], "exit 0", ""))
    if meta.get("log_errors"):
        checks.append(("ERROR lines in the server log", meta["log_errors"], "0", ""))

    b = r["batch_ops"]
    info = [f"date: {meta.get('date', '?')}", f"commit: {meta.get('commit', '?')}", f"JDK: {meta.get('jdk', '?')}",
            f"CPU: {meta.get('cpu', '?')}", f"pinning: {meta.get('pinning', '?')}",
            f"JVM flags: {meta.get('jvm_opts', '?')}", f"server env: {meta.get('server_env', '?')}",
            f"soak: {minutes:g} min ({r['duration_s']:.0f} s) of paced traffic as the bench user on `bench` (owner "
            f"rules; {r['seed_records']:,} records loaded before, the targets of views and updates); a sample every "
            f"{r['sample_s']:g} s",
            "rates (req/s) and connections: " + ", ".join(f"{k} {r['rates'][k]:g} on {r['conns'][k]}" for k in KINDS)
            + f"; a batch is {b['create']} creates, {b['update']} update and {b['delete']} deletes (PocketBase "
              f"shape); deletes remove records the soak created, oldest first",
            f"realtime: {r['subscribers']:,} SSE streams of the user + {r['strangers']} of another user subscribed "
            f"to `{r['topic']}`"]

    print()
    for line in info:
        print(line)
    print()
    print_table(lat, numeric_cols=(1, 2, 3, 4, 5, 6, 7))
    print()
    print_table(checks)
    with open(out_md, "w") as f:
        f.write("# NanoDB soak: latest run\n\nWritten by `bench/run --soak`; see docs/PERFORMANCE.md, \"Soak\".\n\n")
        f.writelines(f"- {line}\n" for line in info)
        f.write("\n## Over time\n\nPer sample: successful requests per second by kind, errors (batch errors apart), "
                "the server's VmRSS and RssAnon, its heap in use (GET /health), SSE events received per second by "
                "all subscribers together, subscriber streams open (and the server's count of realtime clients), CPU used "
                "in % of one core by the server (pinned to one) and by the soak's probe (the load CPU).\n\n")
        f.write(md_table(rows))
        f.write("\n## Requests\n\n" + md_table(lat))
        f.write("\n## Verdict\n\n" + md_table(checks))
    if total:
        print(f"FAIL: {total} errors during the soak", file=sys.stderr)
        sys.exit(2)
    if not flat:
        print(f"FAIL: RSS grew after the warm-up by more than {tolerance:g} MiB (or no sample after the warm-up)",
              file=sys.stderr)
        sys.exit(4)
