#!/usr/bin/env python3
"""Where the time goes: the report of `bench/run --profile SCENARIO` (python3 standard library only).

Reads the Java Flight Recorder file bench/run recorded around the scenario's measured part (with the JDK's `jfr`
tool, as JSON) and writes a short Markdown report:
  - req/s with the recording on (JFR's profile settings cost a few per cent) and the server's CPU time per
    request (utime + stime of the server process over the recording, divided by the requests answered);
  - execution samples: the hottest frames by self time, NanoDB's own methods by inclusive time (the share of
    samples with the method anywhere on the stack), and self time by library (package prefix);
  - allocation: the rate (JFR's weighted allocation samples over the recording's length), the top classes and the
    NanoDB frames nearest to each allocation;
  - garbage collection: count, total and longest pause, and the share of the recording spent in pauses.

usage: profile.py JFR_TOOL FILE.jfr SCENARIO WRK_OUTPUT CPU_TICKS CLK_TCK META OUT.md
"""
import collections
import json
import re
import subprocess
import sys

from report import parse_wrk

OURS = "dev.nanodb."
TOP = 15
LIBRARIES = [("dev.nanodb.", None), ("io.netty.", "Netty"), ("io.vertx.", "Vert.x"), ("com.fasterxml.jackson.", "Jackson"),
             ("org.lmdbjava.", "lmdbjava"), ("jnr.", "jnr-ffi (LMDB calls)"), ("com.zaxxer.hikari.", "HikariCP"),
             ("org.postgresql.", "pgjdbc"), ("com.auth0.jwt.", "java-jwt"), ("at.favre.", "bcrypt"),
             ("java.util.concurrent.", "java.util.concurrent"), ("java.util.", "java.util"), ("java.lang.", "java.lang"),
             ("java.nio.", "java.nio"), ("sun.nio.", "sun.nio"), ("jdk.internal.", "jdk.internal"), ("java.", "other java.*"),
             ("sun.", "other sun.*")]


def method_name(frame):
    """'java.lang.String.charAt' (JFR's JSON names types the JVM's way, with slashes)."""
    m = frame["method"]
    return f"{m['type']['name'].replace('/', '.')}.{m['name']}"


def ours(name):
    """A NanoDB method, lambdas' generated frames aside (the method that made the lambda is on the stack too)."""
    return name.startswith(OURS) and "$$Lambda" not in name


def library(name):
    for prefix, label in LIBRARIES:
        if name.startswith(prefix):
            if label is None:  # our own: by package, e.g. dev.nanodb.records
                return ".".join(name.split(".")[:3])
            return label
    return "other"


def events(jfr, path, names):
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", "64", "--events", ",".join(names), path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def duration_ms(value):
    """JFR's JSON durations are ISO-8601 strings such as 'PT0.001234S'."""
    if isinstance(value, (int, float)):
        return value / 1e6
    m = re.fullmatch(r"PT(?:(\d+)M)?([\d.]+)S", value or "")
    return (int(m.group(1) or 0) * 60 + float(m.group(2))) * 1000 if m else 0.0


def requests_of(wrk_path):
    r = parse_wrk(wrk_path)
    if "created" in r:
        return r["created"], r["rps"], r["duration_s"]
    m = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", r["text"])
    seconds = float(m.group(2)) * {"ms": 0.001, "s": 1, "m": 60}[m.group(3)]
    return int(m.group(1)), r["rps"], seconds


def table(rows, head):
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def pct(n, total):
    return f"{100.0 * n / total:.1f} %" if total else "-"


def main(jfr, path, scenario, wrk_path, ticks, clk_tck, meta_path, out_path):
    requests, rps, seconds = requests_of(wrk_path)
    cpu_s = int(ticks) / int(clk_tck)
    samples = [e["values"] for e in events(jfr, path, ["jdk.ExecutionSample"])]
    allocs = [e["values"] for e in events(jfr, path, ["jdk.ObjectAllocationSample"])]
    gcs = [e["values"] for e in events(jfr, path, ["jdk.GarbageCollection"])]
    native = collections.Counter()
    for e in events(jfr, path, ["jdk.NativeMethodSample"]):
        frames = (e["values"].get("stackTrace") or {}).get("frames") or []
        if frames and e["values"].get("sampledThread", {}).get("javaName", "").startswith("vert.x-eventloop"):
            native[method_name(frames[0])] += 1

    self_frames, inclusive, libraries = collections.Counter(), collections.Counter(), collections.Counter()
    for s in samples:
        frames = (s.get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        top = method_name(frames[0])
        self_frames[top] += 1
        libraries[library(top)] += 1
        for name in {method_name(f) for f in frames if ours(method_name(f))}:
            inclusive[name] += 1
    n = len(samples)

    alloc_bytes, by_class, by_site = 0, collections.Counter(), collections.Counter()
    for a in allocs:
        weight = a.get("weight") or 0
        alloc_bytes += weight
        by_class[(a.get("objectClass") or {}).get("name", "?")] += weight
        frames = (a.get("stackTrace") or {}).get("frames") or []
        site = next((method_name(f) for f in frames if ours(method_name(f))), "(no NanoDB frame)")
        by_site[site] += weight

    pauses = [duration_ms(g.get("sumOfPauses") or g.get("duration")) for g in gcs]
    meta = dict(line.rstrip("\n").split("=", 1) for line in open(meta_path) if "=" in line)

    mib = lambda b: f"{b / 1048576:.1f} MiB"
    parts = [
        f"# Profile: {scenario}",
        "",
        "Written by `bench/run --profile " + scenario + "`; see docs/PERFORMANCE.md (\"Where the time goes\").",
        "",
        f"- date: {meta.get('date', '?')}; commit: {meta.get('commit', '?')}; backend: {meta.get('backend', '?')}",
        f"- JDK: {meta.get('jdk', '?')}; {meta.get('pinning', '?')}; records: {meta.get('records', '?')}",
        f"- recording: JFR settings=profile over {seconds:.1f} s of the scenario ({requests:,} requests, "
        f"{rps:,.0f} req/s with the recording on)",
        f"- server CPU: {cpu_s:.2f} s over the recording = **{1e6 * cpu_s / requests:.0f} µs per request**"
        if requests else "- server CPU: no requests",
        f"- allocation: {mib(alloc_bytes)} sampled-weighted = **{mib(alloc_bytes / seconds)}/s**, "
        f"{alloc_bytes / requests / 1024:.1f} KiB per request" if requests and seconds else "- allocation: -",
        f"- GC: {len(pauses)} collections, {sum(pauses):.0f} ms of pauses ({pct(sum(pauses), seconds * 1000)} of the "
        f"time), longest {max(pauses, default=0):.1f} ms",
        f"- execution samples (threads running Java code, every 10 ms): {n:,}; the event loop in native code "
        f"(every 20 ms): {sum(native.values()):,} samples, mostly {', '.join(f'`{m}` ({c})' for m, c in native.most_common(3))}",
        "",
        "## Self time by library",
        "",
        table([(lib, c, pct(c, n)) for lib, c in libraries.most_common(TOP)], ["library / package", "samples", "share"]),
        "",
        "## Hottest frames (self time)",
        "",
        table([(f"`{m}`", c, pct(c, n)) for m, c in self_frames.most_common(TOP)], ["method", "samples", "share"]),
        "",
        "## NanoDB's methods (inclusive: on the stack)",
        "",
        table([(f"`{m}`", c, pct(c, n)) for m, c in inclusive.most_common(TOP + 5)], ["method", "samples", "share"]),
        "",
        "## Allocation by class",
        "",
        table([(f"`{c}`", mib(b), pct(b, alloc_bytes)) for c, b in by_class.most_common(10)], ["class", "bytes", "share"]),
        "",
        "## Allocation by the nearest NanoDB frame",
        "",
        table([(f"`{m}`", mib(b), pct(b, alloc_bytes)) for m, b in by_site.most_common(10)], ["method", "bytes", "share"]),
        "",
    ]
    with open(out_path, "w") as f:
        f.write("\n".join(parts))
    print("\n".join(parts[:12]))


if __name__ == "__main__":
    if len(sys.argv) != 9:
        sys.exit(__doc__)
    main(*sys.argv[1:])
