"""The realtime phase of bench/run (python3 standard library only): `nanobench.py realtime` runs
cmd_realtime. Delivery latency of created records' events to SUBSCRIBERS SSE streams under an owner rule, then
the server's RSS (and live heap, with jcmd) with IDLE_STREAMS idle streams; writes WORKDIR/realtime.json, which
report.py turns into rows."""
import asyncio
import gc
import json
import math
import os
import re
import resource
import sys
import time

from common import (COLLECTION, HOST, RULES, TOKEN_FILES, die, fmt_ms, process_alive, read_token,
                    request_json)

# One asyncio process (pinned to the load CPU by bench/run, like every probe) holds the subscribers' streams and
# the writer, so arrival times and send times come from the same clock (time.monotonic).
#
# Collection: a dedicated `rt` with bench's fields and owner rules, not `bench` itself: the events are the same
# shape (same fields, same rule evaluated per subscriber), but `bench` stays exactly as the read scenarios and
# the exactness check left it (its totals are still RECORDS), and the idle streams' topic is one nobody else
# writes to.
RT_COLLECTION = {**COLLECTION, "name": "rt"}
RT_RECORDS = "/api/collections/rt/records"
RT_TOPIC = "rt/*"
# Measured creates, and unmeasured ones before them: the first events go through code the JIT has not compiled
# yet (no earlier scenario sends an event). Every one of them must reach every subscriber.
RT_EVENTS = 200
RT_WARMUP_EVENTS = 20
# One create at a time, a new one every 20 ms: the fan-out of one event (one server core, N sockets) is done
# before the next commit, so each latency is that of one event, not of a queue behind earlier ones.
RT_PACE_S = 0.020
# Streams of the second user, subscribed to the same topic: the owner rule must keep every event from them
# (the realtime counterpart of the exactness check's "user owning nothing").
RT_STRANGERS = 10
# Streams connecting at once (the rest wait): bounded so that the server's accept backlog never overflows (an
# overflow costs a 1 s SYN retransmit, not an error) and one CPU is not drowned in handshakes.
RT_OPEN_CONCURRENCY = 200
# Keep-alive connections that send the subscription requests (POST /api/realtime), in parallel.
RT_HTTP_CONNS = 8
# After the last create: wait until no stream has read anything for this long, then count.
RT_QUIET_S = 0.3
RT_DELIVERY_DEADLINE_S = 15
# Idle streams: the server's RSS is read once before they open and once after they have been held this long;
# before each reading the server has been left alone for this long too. Longer than the server's native-heap
# trim period (5 s, NANODB_JVM_OPTS), so memory freed by what came before (the delivery part, opening the
# streams) has been returned: both readings are settled, and the difference is what K streams cost while they
# sit idle, not a transient.
RT_IDLE_HOLD_S = 6
RT_TIMEOUT_S = 30
# Rough descriptor needs beyond the streams: the probe's own (stdio, epoll, the HTTP connections) and the
# server's (jars, LMDB, its epoll and listening sockets, the JDK).
RT_PROBE_FDS = 64
RT_SERVER_FDS = 256

# asyncio's plain Protocol (and so open_connection's StreamReader) receives each read as a fresh bytes object
# of max_size (256 KiB) shrunk to fit; glibc serves that size with mmap, so every read costs an mmap, page faults
# and a munmap: ~30 µs on the reference VM, i.e. ~30 ms to read one event from 1,000 streams, more than the
# target itself. A BufferedProtocol reads into a buffer it provides (here one for every stream: reads happen
# one at a time on the loop and the bytes are copied out at once): ~3 µs a read. The writer and the
# subscription requests read a few responses each and use plain streams.
_READ_BUF = memoryview(bytearray(256 * 1024))


class BenchError(Exception):
    pass


class Activity:
    """Shared by all streams: when any of them last read something (to know when deliveries are over)."""
    last = 0.0


class SseStream(asyncio.BufferedProtocol):
    """GET /api/realtime over raw HTTP/1.1. While events are measured, a read only records (time, bytes):
    parsing is deferred (parse()), so the probe's own work delays the next stream's read as little as
    possible. Each frame is stamped with the time of the read that completed it."""

    def __init__(self, port, activity):
        self.port = port
        self.activity = activity
        self.transport = None
        self.reads = []  # (monotonic time, bytes) not parsed yet
        self.waiter = None  # a future woken by the next read, while setup waits for something
        self.lost = None  # why the connection ended; None while it is open
        self.head = bytearray()  # the response head until "\r\n\r\n"
        self.status = None
        self.chunked = False
        self.body = bytearray()  # bytes after the head, not de-chunked yet
        self.chunk_left = 0
        self.need_crlf = False
        self.ended = False  # the last chunk (size 0) arrived: the server ended the stream
        self.text = bytearray()  # SSE text not split into frames yet
        self.frames = []  # (time, event, id, data)
        self.heartbeats = 0
        self.client_id = None

    # -- asyncio callbacks
    def connection_made(self, transport):
        self.transport = transport
        transport.write(f"GET /api/realtime HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
                        "Accept: text/event-stream\r\n\r\n".encode())

    def get_buffer(self, sizehint):
        return _READ_BUF

    def buffer_updated(self, nbytes):
        t = time.monotonic()
        self.reads.append((t, bytes(_READ_BUF[:nbytes])))
        self.activity.last = t
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    def eof_received(self):
        return False  # close the transport

    def connection_lost(self, exc):
        self.lost = repr(exc) if exc else "closed by the server"
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(None)

    # -- parsing (outside the measured reads)
    def parse(self):
        for t, data in self.reads:
            if self.status is None:
                self.head += data
                end = self.head.find(b"\r\n\r\n")
                if end < 0:
                    continue
                lines = bytes(self.head[:end]).decode("latin-1").split("\r\n")
                self.status = int(lines[0].split()[1])
                self.chunked = any(ln.lower().replace(" ", "") == "transfer-encoding:chunked" for ln in lines[1:])
                data = bytes(self.head[end + 4:])
                self.head = bytearray()
            if self.chunked:
                self.body += data
                self._dechunk()
            else:
                self.text += data
            self._frames(t)
        self.reads.clear()

    def _dechunk(self):
        body = self.body
        while not self.ended:
            if self.chunk_left:
                take = min(self.chunk_left, len(body))
                self.text += body[:take]
                del body[:take]
                self.chunk_left -= take
                if self.chunk_left:
                    return
                self.need_crlf = True
            if self.need_crlf:
                if len(body) < 2:
                    return
                if body[:2] != b"\r\n":
                    raise BenchError("malformed chunked encoding on an SSE stream")
                del body[:2]
                self.need_crlf = False
            end = body.find(b"\r\n")
            if end < 0:
                return
            size = int(bytes(body[:end]).split(b";")[0], 16)
            del body[:end + 2]
            if size == 0:
                self.ended = True
            self.chunk_left = size

    def _frames(self, t):
        # The server ends lines with "\n" only (SseSink); frames end with an empty line.
        while (end := self.text.find(b"\n\n")) >= 0:
            frame = bytes(self.text[:end]).decode()
            del self.text[:end + 2]
            event, eid, data, comment = "message", None, [], False
            for line in frame.split("\n"):
                field, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if field == "":
                    comment = True  # ":..." is a comment: the heartbeat
                elif field == "event":
                    event = value
                elif field == "id":
                    eid = value
                elif field == "data":
                    data.append(value)
            if comment and not data:
                self.heartbeats += 1
                continue
            self.frames.append((t, event, eid, "\n".join(data)))

    # -- setup
    async def wait_connected(self, timeout):
        """Until PB_CONNECT has given this stream its client id."""
        deadline = time.monotonic() + timeout
        while True:
            self.parse()
            if self.status is not None and self.status != 200:
                raise BenchError(f"GET /api/realtime -> {self.status}: {bytes(self.body + self.text)[:300]!r}")
            for _, event, eid, data in self.frames:
                if event == "PB_CONNECT":
                    self.client_id = json.loads(data).get("clientId") or eid
                    if not self.client_id:
                        raise BenchError(f"PB_CONNECT without a client id: {data[:300]}")
                    return
            if self.lost:
                raise BenchError(f"realtime stream closed before PB_CONNECT: {self.lost}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise BenchError(f"no PB_CONNECT within {timeout} s")
            self.waiter = asyncio.get_running_loop().create_future()
            try:
                await asyncio.wait_for(self.waiter, left)
            except asyncio.TimeoutError:
                pass
            self.waiter = None

    def reset(self):
        """Forget what was received so far (PB_CONNECT, connected): from here on only events count."""
        self.parse()
        self.frames.clear()
        self.heartbeats = 0


async def http_request(port, method, path, body=None, token=None, conn=None):
    """One HTTP/1.1 request; conn: (reader, writer) of a keep-alive connection, else a fresh one.
    Returns (status, body text)."""
    reader, writer = conn or await asyncio.open_connection(HOST, port)
    try:
        data = json.dumps(body).encode() if body is not None else b""
        head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nContent-Length: {len(data)}\r\n"
        if body is not None:
            head += "Content-Type: application/json\r\n"
        if token:
            head += f"Authorization: {token}\r\n"
        writer.write(head.encode() + b"\r\n" + data)
        lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip().lower()] = v.strip()
        if "content-length" in headers:
            answer = await reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            answer = b""
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                answer += (await reader.readexactly(size + 2))[:-2]
            await reader.readuntil(b"\r\n")
        else:
            answer = b""
        return status, answer.decode("utf-8", "replace")
    finally:
        if conn is None:
            writer.close()


async def rt_stats(port, su_token):
    status, text = await http_request(port, "GET", "/api/stats", token=su_token)
    if status != 200:
        raise BenchError(f"GET /api/stats -> {status}: {text[:300]}")
    rt = json.loads(text).get("realtime")
    if not isinstance(rt, dict) or "clients" not in rt:
        raise BenchError(f"GET /api/stats has no realtime.clients: {text[:300]}")
    return rt


async def wait_clients(port, su_token, want, timeout=RT_TIMEOUT_S):
    """Polls /api/stats until the server counts `want` open streams; returns the last count."""
    deadline = time.monotonic() + timeout
    while True:
        n = (await rt_stats(port, su_token))["clients"]
        if n == want or time.monotonic() > deadline:
            return n
        await asyncio.sleep(0.05)


async def open_streams(port, n, activity, stream_class=SseStream):
    loop = asyncio.get_running_loop()
    gate = asyncio.Semaphore(RT_OPEN_CONCURRENCY)
    streams = []

    async def one():
        async with gate:
            _, s = await loop.create_connection(lambda: stream_class(port, activity), HOST, port)
            streams.append(s)
            await s.wait_connected(RT_TIMEOUT_S)

    results = await asyncio.gather(*(one() for _ in range(n)), return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        close_streams(streams)
        raise BenchError(f"{len(errors)} of {n} realtime streams failed to open; first: {errors[0]!r}")
    return streams


def close_streams(streams):
    for s in streams:
        if s.transport is not None:
            s.transport.close()


async def subscribe_all(port, streams, token, topics):
    """POST /api/realtime for every stream, over RT_HTTP_CONNS keep-alive connections."""
    todo = list(streams)

    async def worker():
        conn = await asyncio.open_connection(HOST, port)
        try:
            while todo:
                s = todo.pop()
                status, text = await http_request(port, "POST", "/api/realtime",
                                          {"clientId": s.client_id, "subscriptions": topics}, token, conn)
                if status != 204:
                    raise BenchError(f"POST /api/realtime {topics} -> {status}: {text[:300]}")
        finally:
            conn[1].close()

    await asyncio.gather(*(worker() for _ in range(min(RT_HTTP_CONNS, len(streams)))))


def percentiles(values):
    """p50, p99 (nearest rank) and max, in ms; None when there are no values."""
    if not values:
        return None
    v = sorted(values)
    rank = lambda p: v[max(0, math.ceil(p / 100 * len(v)) - 1)] * 1000
    return {"p50": rank(50), "p99": rank(99), "max": v[-1] * 1000, "n": len(v)}


def proc_status_kb(pid):
    """VmRSS, VmHWM, RssAnon, RssFile of a process, in kB."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                out[key] = int(value.split()[0])
    return out


def live_heap_kb(jcmd, pid):
    """The server's live Java heap in kB: `jcmd GC.class_histogram` runs a full GC and totals what survives.
    RSS alone can hide the streams' heap: once the heap (at most -Xmx) is resident, objects fill it without
    growing RSS, until the JVM runs out of heap. None when jcmd is unavailable or fails."""
    if not jcmd:
        return None
    import subprocess
    try:
        text = subprocess.run([jcmd, str(pid), "GC.class_histogram"], capture_output=True, text=True,
                              timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"^Total\s+\d+\s+(\d+)\s*$", text, re.M)
    return int(m.group(1)) // 1024 if m else None


def nofile_soft_limit(pid):
    with open(f"/proc/{pid}/limits") as f:
        for line in f:
            if line.startswith("Max open files"):
                soft = line.split()[3]
                return None if soft == "unlimited" else int(soft)
    return None


def shares(total, parts):
    """total in `parts` near-equal whole shares, the larger ones first."""
    return [total // parts + (i < total % parts) for i in range(parts)]


async def rt_delivery(ports, n, tokens, body_text):
    """N streams of the bench user and RT_STRANGERS of the second user subscribe to rt/*; one writer creates
    RT_WARMUP_EVENTS + RT_EVENTS records as the bench user, one at a time, paced. With several nodes (PORTS:
    one database), the streams are split over them (about half on each of two) and the writes alternate between
    them, so half the events reach a subscriber from the other node, through the database. Latency per (subscriber,
    measured record) = arrival - the moment the create was sent (an upper bound of commit -> arrival: the commit
    happens after the request is sent) and arrival - the moment its answer arrived (the server publishes an event
    once its write is durable, just before it answers, so this is about commit -> arrival, and can be < 0)."""
    su = tokens["superuser"]
    activity = Activity()
    out = {"subscribers": n, "strangers": RT_STRANGERS, "events": RT_EVENTS, "warmup_events": RT_WARMUP_EVENTS,
           "pace_ms": RT_PACE_S * 1000, "nodes": len(ports), "problems": []}
    t0 = time.monotonic()
    subs, strangers, per_node = [], [], []  # per_node: (port, its subscribers, its strangers)
    try:
        for port, n_here, k_here in zip(ports, shares(n, len(ports)), shares(RT_STRANGERS, len(ports))):
            mine = await open_streams(port, n_here, activity)
            subs += mine
            theirs = await open_streams(port, k_here, activity)
            strangers += theirs
            per_node.append((port, mine, theirs))
    except BaseException:
        close_streams(subs + strangers)
        raise
    everyone = subs + strangers
    try:
        for port, mine, theirs in per_node:
            await subscribe_all(port, mine, tokens["user"], [RT_TOPIC])
            await subscribe_all(port, theirs, tokens["stranger"], [RT_TOPIC])
            counted = await wait_clients(port, su, len(mine) + len(theirs))
            if counted != len(mine) + len(theirs):
                raise BenchError(f"/api/stats on port {port} counts {counted} realtime clients, "
                                 f"{len(mine) + len(theirs)} are open there")
        out["setup_s"] = time.monotonic() - t0
        where = f" over {len(ports)} nodes ({', '.join(str(len(m)) for _, m, _ in per_node)})" if len(ports) > 1 else ""
        print(f"  {n} subscribers + {RT_STRANGERS} of another user connected and subscribed to {RT_TOPIC}{where} "
              f"in {out['setup_s']:.1f} s")
        for s in everyone:
            s.reset()
        before = await rt_stats_sum(ports, su)

        # The writer: one keep-alive connection. Python's cyclic GC is frozen and off meanwhile, so that a
        # collection over the tens of thousands of stream objects cannot stall the reads.
        gc.collect()
        gc.freeze()
        gc.disable()
        creates = []  # (record id, sent, answered, measured, the node's port)
        conns = []  # one keep-alive connection per node; the writes go round-robin
        try:
            for port in ports:
                conns.append(await asyncio.open_connection(HOST, port))
            for i in range(RT_WARMUP_EVENTS + RT_EVENTS):
                record = {"title": f"rt {i}", "status": f"s{i % 10}", "score": i, "body": body_text}
                port, conn = ports[i % len(ports)], conns[i % len(ports)]
                sent = time.monotonic()
                status, text = await http_request(port, "POST", RT_RECORDS, record, tokens["user"], conn)
                answered = time.monotonic()
                if status != 200:
                    raise BenchError(f"POST {RT_RECORDS} -> {status}: {text[:300]}")
                creates.append((json.loads(text)["id"], sent, answered, i >= RT_WARMUP_EVENTS, port))
                await asyncio.sleep(max(0.0, sent + RT_PACE_S - time.monotonic()))
        finally:
            for conn in conns:
                conn[1].close()
            gc.enable()
            gc.unfreeze()

        # Deliveries are over when every stream has them all, or when the deadline passes.
        ids = {c[0] for c in creates}
        deadline = time.monotonic() + RT_DELIVERY_DEADLINE_S
        while True:
            while time.monotonic() - activity.last < RT_QUIET_S:
                await asyncio.sleep(RT_QUIET_S / 3)
            for s in everyone:
                s.parse()
            have = sum(len({(json.loads(d).get("record") or {}).get("id") for _, e, _, d in s.frames
                            if e == RT_TOPIC} & ids) for s in subs)
            if have == len(ids) * n or time.monotonic() > deadline:
                break
            await asyncio.sleep(RT_QUIET_S)
        after = await rt_stats_sum(ports, su)
        out["write_ms"] = percentiles([c[2] - c[1] for c in creates if c[3]])
    finally:
        close_streams(everyone)

    # Analysis: the first arrival of each record at each subscriber.
    first = []  # per subscriber: record id -> arrival time
    duplicates = unexpected = 0
    for s in subs:
        seen = {}
        for t, event, _, data in s.frames:
            payload = json.loads(data) if event == RT_TOPIC else {}
            rid, action = (payload.get("record") or {}).get("id"), payload.get("action")
            if rid not in ids or action != "create":
                unexpected += 1
            elif rid in seen:
                duplicates += 1
            else:
                seen[rid] = t
        first.append(seen)
    leaked = sum(1 for s in strangers for f in s.frames if f[1] == RT_TOPIC)
    other = sum(1 for s in strangers for f in s.frames if f[1] != RT_TOPIC)
    expected = len(ids) * n
    delivered = sum(len(seen) for seen in first)
    by_sent, by_answer, spread, cross = [], [], [], []  # cross: answered -> event, written on the other node
    for rid, sent, answered, measured, port in creates:
        if not measured:
            continue
        arrivals = [seen[rid] for seen in first if rid in seen]
        by_sent += [a - sent for a in arrivals]
        by_answer += [a - answered for a in arrivals]
        cross += [seen[rid] - answered for s, seen in zip(subs, first) if rid in seen and s.port != port]
        if arrivals:
            spread.append(max(arrivals) - min(arrivals))
    closed = sum(1 for s in everyone if s.lost or s.ended)
    out.update(expected=expected, delivered=delivered, missing=expected - delivered, duplicates=duplicates,
               unexpected=unexpected + other, leaked=leaked, closed_by_server=closed,
               heartbeats=sum(s.heartbeats for s in everyone),
               sent_ms=percentiles(by_sent), answered_ms=percentiles(by_answer), spread_ms=percentiles(spread),
               cross_ms=percentiles(cross),
               server_events=after["events"] - before["events"],  # summed over the nodes
               server_dropped=after["droppedSlow"] - before["droppedSlow"])
    for key, what in (("missing", "events missing"), ("duplicates", "duplicate events"),
                      ("unexpected", "unexpected events"), ("leaked", "events delivered to the other user"),
                      ("closed_by_server", "streams closed by the server"),
                      ("server_dropped", "clients dropped as slow by the server")):
        if out[key]:
            out["problems"].append(f"{out[key]} {what}")
    out["left_open"] = sum([await wait_clients(port, su, 0, timeout=10) for port in ports])
    return out


async def rt_stats_sum(ports, su_token):
    """events and droppedSlow of /api/stats, summed over the nodes."""
    total = {"events": 0, "droppedSlow": 0}
    for port in ports:
        rt = await rt_stats(port, su_token)
        for key in total:
            total[key] += rt[key]
    return total


async def rt_idle(port, pid, k, tokens, jcmd):
    """K streams of the bench user, subscribed to rt/* (an SDK client subscribes to something; nothing is
    written to rt meanwhile, so they stay idle). Server RSS before they open and after RT_IDLE_HOLD_S; the live
    heap (a full GC each) before the first RSS reading and after the second."""
    su = tokens["superuser"]
    activity = Activity()
    out = {"streams": k, "hold_s": RT_IDLE_HOLD_S, "problems": []}
    if (n := await wait_clients(port, su, 0, timeout=10)) != 0:
        raise BenchError(f"{n} realtime clients still counted before the idle streams open")
    loop = asyncio.get_running_loop()
    heap_before = await loop.run_in_executor(None, live_heap_kb, jcmd, pid)
    print(f"  letting the server settle for {RT_IDLE_HOLD_S} s before reading its RSS")
    await asyncio.sleep(RT_IDLE_HOLD_S)
    base = proc_status_kb(pid)
    samples = [base["VmRSS"]]

    async def sample():
        while True:
            await asyncio.sleep(0.25)
            samples.append(proc_status_kb(pid)["VmRSS"])

    sampler = asyncio.create_task(sample())
    t0 = time.monotonic()
    streams = []
    try:
        streams = await open_streams(port, k, activity)
        await subscribe_all(port, streams, tokens["user"], [RT_TOPIC])
        counted = await wait_clients(port, su, k)
        if counted != k:
            raise BenchError(f"/api/stats counts {counted} realtime clients, {k} are open")
        out["setup_s"] = time.monotonic() - t0
        print(f"  {k} idle streams connected and subscribed to {RT_TOPIC} in {out['setup_s']:.1f} s; "
              f"holding them {RT_IDLE_HOLD_S} s")
        await asyncio.sleep(RT_IDLE_HOLD_S)
        held = proc_status_kb(pid)
        for s in streams:
            s.parse()
        out["closed_by_server"] = sum(1 for s in streams if s.lost or s.ended)
        out["events"] = sum(1 for s in streams for f in s.frames if f[1] not in ("PB_CONNECT", "connected"))
        heap_after = await loop.run_in_executor(None, live_heap_kb, jcmd, pid)
    finally:
        sampler.cancel()
        close_streams(streams)
    out.update(rss_before_kb=base["VmRSS"], rss_after_kb=held["VmRSS"], rss_peak_kb=max(samples),
               anon_before_kb=base.get("RssAnon"), anon_after_kb=held.get("RssAnon"),
               delta_mib=(held["VmRSS"] - base["VmRSS"]) / 1024,
               heap_before_kb=heap_before, heap_after_kb=heap_after)
    if out["closed_by_server"]:
        out["problems"].append(f"{out['closed_by_server']} idle streams closed by the server")
    if out["events"]:
        out["problems"].append(f"{out['events']} events on idle streams")
    out["left_open"] = await wait_clients(port, su, 0, timeout=10)
    return out


def print_delivery(d):
    sent, answered, spread = d["sent_ms"] or {}, d["answered_ms"] or {}, d["spread_ms"] or {}
    print(f"  delivered {d['delivered']}/{d['expected']} events ({d['subscribers']} subscribers x "
          f"{d['events'] + d['warmup_events']} creates), to the other user {d['leaked']}; "
          f"server events {d['server_events']}, dropped {d['server_dropped']}")
    print(f"  create sent -> event: p50 {fmt_ms(sent.get('p50'))}, p99 {fmt_ms(sent.get('p99'))}, "
          f"max {fmt_ms(sent.get('max'))}; create answered -> event: p50 {fmt_ms(answered.get('p50'))}, "
          f"p99 {fmt_ms(answered.get('p99'))}; first -> last subscriber: p50 {fmt_ms(spread.get('p50'))}, "
          f"p99 {fmt_ms(spread.get('p99'))}; create answered after p50 {fmt_ms((d['write_ms'] or {}).get('p50'))}")
    if d.get("cross_ms"):
        print(f"  written on the other node (through the database): create answered -> event p50 "
              f"{fmt_ms(d['cross_ms']['p50'])}, p99 {fmt_ms(d['cross_ms']['p99'])}")
    for p in d["problems"]:
        print(f"  FAIL: {p}", file=sys.stderr)
    if d["left_open"]:
        print(f"  warning: the server still counts {d['left_open']} streams 10 s after they were closed",
              file=sys.stderr)


def print_idle(i):
    print(f"  server VmRSS {i['rss_before_kb'] / 1024:.1f} MiB before, {i['rss_after_kb'] / 1024:.1f} MiB with "
          f"{i['streams']} idle streams after {i['hold_s']} s (peak {i['rss_peak_kb'] / 1024:.1f} MiB): "
          f"{i['delta_mib']:+.1f} MiB, {i['delta_mib'] * 1024 / i['streams']:.2f} KiB a stream")
    if i["heap_before_kb"] is not None and i["heap_after_kb"] is not None:
        dh = i["heap_after_kb"] - i["heap_before_kb"]
        print(f"  live Java heap {i['heap_before_kb'] / 1024:.1f} MiB before, {i['heap_after_kb'] / 1024:.1f} MiB "
              f"with the streams: {dh / 1024:+.1f} MiB, {dh / i['streams']:.2f} KiB a stream")
    else:
        print("  warning: no live-heap figures (jcmd missing or failed)", file=sys.stderr)
    for p in i["problems"]:
        print(f"  FAIL: {p}", file=sys.stderr)
    if i["left_open"]:
        print(f"  warning: the server still counts {i['left_open']} streams 10 s after they were closed",
              file=sys.stderr)


async def rt_main(ports, pid, n, k, tokens, body_text, jcmd):
    result = {}
    if n:
        result["delivery"] = await rt_delivery(ports, n, tokens, body_text)
        print_delivery(result["delivery"])
    if k:  # on node A (pid) only: its memory with the idle streams
        result["idle"] = await rt_idle(ports[0], pid, k, tokens, jcmd)
        print_idle(result["idle"])
    return result


def cmd_realtime(ports, workdir, server_pid, subscribers, idle_streams, jcmd=""):
    """PORTS: "A" or "A,B" (nodes on one database); SERVER_PID: node A's."""
    ports, pid, n, k = [int(p) for p in ports.split(",")], int(server_pid), int(subscribers), int(idle_streams)
    port = ports[0]
    jcmd = jcmd if jcmd and os.access(jcmd, os.X_OK) else None
    out_path = os.path.join(workdir, "realtime.json")
    # One descriptor per stream, on both sides. bench/run raised the soft limits to the hard one; say clearly
    # when that is still not enough instead of failing with EMFILE halfway.
    streams = max(n + RT_STRANGERS if n else 0, k)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < streams + RT_PROBE_FDS:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            pass
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        if soft != resource.RLIM_INFINITY and soft < streams + RT_PROBE_FDS:
            die(f"{streams} realtime streams need ~{streams + RT_PROBE_FDS} open files in the probe; the limit is "
                f"{soft} (hard {hard}): raise `ulimit -Hn` or lower BENCH_SUBSCRIBERS / BENCH_IDLE_STREAMS")
    server_soft = nofile_soft_limit(pid)
    if server_soft is not None and server_soft < streams + RT_SERVER_FDS:
        die(f"{streams} realtime streams need ~{streams + RT_SERVER_FDS} open files in the server; its limit is "
            f"{server_soft}: raise `ulimit -Hn` or lower BENCH_SUBSCRIBERS / BENCH_IDLE_STREAMS")
    tokens = {who: read_token(workdir, who) for who in TOKEN_FILES}
    created = request_json(port, "POST", "/api/collections", RT_COLLECTION, token=tokens["superuser"])
    differ = {key: created.get(key) for key, v in RULES.items() if created.get(key) != v}
    if created.get("name") != "rt" or differ:
        die(f"collection 'rt' was not created as asked: {json.dumps(created)[:500]}")
    print("collection 'rt' created (the fields and owner rules of 'bench')")
    # The record body of the create load (create.lua), so events are the size of bench's records.
    body_text = "The quick brown fox jumps over the lazy dog while the benchmark keeps writing records to NanoDB."
    try:
        result = asyncio.run(rt_main(ports, pid, n, k, tokens, body_text, jcmd))
    except (BenchError, OSError, asyncio.TimeoutError, asyncio.IncompleteReadError) as e:
        if not process_alive(pid):  # e.g. an OutOfMemoryError with many streams: bench/run prints its log
            die(f"realtime: the server process exited during the realtime phase ({e!r})")
        die(f"realtime: {e!r}")
    with open(out_path, "w") as f:
        json.dump(result, f, indent=1)
    problems = [p for part in result.values() for p in part["problems"]]
    if problems:
        print(f"FAIL realtime: {'; '.join(problems)}", file=sys.stderr)
        sys.exit(2)
