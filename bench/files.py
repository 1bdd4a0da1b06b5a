"""The files phase of bench/run (python3 standard library only): a collection with a protected file field and owner
rules, a 10 KB file and a 12-megapixel JPEG uploaded to PHOTOS records, first thumbnails timed one at a time and then
in a burst while the server's peak RSS is read, and the paths the wrk rows (uploads, download, cached thumbnail) load.

Auth: the product's targets are "with a token and a rule". `files` has bench's owner rules, so uploads (creates, wrk
with the bench user's token) pass the create rule and get owner_id; its file field is protected, so a download or a
thumbnail is served only with `?token=` holding a file token (POST /api/files/token) of a caller the view rule
(owner_id = @request.auth.id) admits: every download verifies the token and evaluates the rule. A browser fetches a
file by URL with no Authorization header, and so do the download rows. A file token is valid 3 minutes, so each row
gets a fresh one (bench/run refuses a BENCH_WARMUP + BENCH_DURATION that would outlive it).

Photos: the JPEG (4000x3000, bench/MakeJpeg.java) is uploaded to FIRST + BURST records. Each record's first
`?thumb=100x100` is a first thumbnail (decoded, scaled, stored); FIRST records get one each, one request at a time
(the latency row), the BURST others get theirs all at once from BURST threads (the memory row). A thumbnail must
come back 200, image/jpeg, named 100x100_<name> (not the original, which the server serves when it cannot make one).
"""
import http.client
import json
import os
import random
import threading
import time

from common import COLLECTION, HOST, OWNER_RULE, RULES, die, read_token, request_json
from realtime_probe import proc_status_kb

FILES_PATH = "/api/collections/files/records"
FIELD = "doc"
MAX_SIZE = 10 * 1024 * 1024
# bench's title, owner_id (indexed, filled with the creator's id) and owner rules, and a protected file field.
FILES_COLLECTION = {**COLLECTION, "name": "files", "fields": [
    *(f for f in COLLECTION["fields"] if f["name"] in ("title", "owner_id")),
    {"name": FIELD, "type": "file", "maxSelect": 1, "maxSize": MAX_SIZE, "protected": True}]}
SMALL_BYTES = 10 * 1024
FIRST = 30   # first thumbnails timed one after the other
BURST = 50   # first thumbnails requested at once
THUMB = "100x100"
STATE_FILE = "files.json"
RESULT_FILE = "files-thumbs.json"
TIMEOUT_S = 60


def _multipart(port, token, payload, filename, data):
    """POST a record as the SDK's FormData does: @jsonPayload plus one file part. Returns (status, text)."""
    boundary = "----nanobench" + "".join(random.choice("0123456789abcdef") for _ in range(24))
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"@jsonPayload\"\r\n\r\n{json.dumps(payload)}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"{FIELD}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode()
    body = head + data + f"\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_S)
    try:
        conn.request("POST", FILES_PATH, body=body, headers={
            "Authorization": token, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def _upload(port, token, title, filename, data):
    """One record with one file; returns {"id", "name"} (the stored name)."""
    status, text = _multipart(port, token, {"title": title}, filename, data)
    record = json.loads(text) if status == 200 else {}
    if not isinstance(record, dict) or not record.get("id") or not record.get(FIELD):
        die(f"upload of {filename} ({len(data)} bytes) -> {status}: {text[:300]}")
    return {"id": record["id"], "name": record[FIELD]}


def _file_token(port, token):
    answer = request_json(port, "POST", "/api/files/token", token=token)
    if not answer.get("token"):
        die(f"POST /api/files/token: no token in {answer}")
    return answer["token"]


def _file_path(f, file_token, thumb=None):
    return f"/api/files/files/{f['id']}/{f['name']}?" + (f"thumb={thumb}&" if thumb else "") + f"token={file_token}"


def _get(port, path):
    """GET on a fresh connection: (status, headers, body length, seconds from sending to the last byte)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_S)
    try:
        t0 = time.monotonic()
        conn.request("GET", path)
        resp = conn.getresponse()
        n = len(resp.read())
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, n, time.monotonic() - t0
    finally:
        conn.close()


def _thumb_problem(f, status, headers, size):
    """None when the answer is the stored 100x100 thumbnail of f, else what is wrong."""
    if status != 200:
        return f"HTTP {status}"
    if headers.get("content-type") != "image/jpeg":
        return f"Content-Type {headers.get('content-type')!r}"
    if f'filename="{THUMB}_{f["name"]}"' not in headers.get("content-disposition", ""):
        return f"not the thumbnail (the original served?): Content-Disposition {headers.get('content-disposition')!r}"
    if size == 0:
        return "empty body"
    return None


def _collection(port, su):
    created = request_json(port, "POST", "/api/collections", FILES_COLLECTION, token=su)
    differ = {k: created.get(k) for k, v in RULES.items() if created.get(k) != v}
    field = next((x for x in created.get("fields", []) if x.get("name") == FIELD), {})
    if differ or not field.get("protected"):
        die(f"collection 'files' was created with other rules or an unprotected field: {differ} {field}")


def cmd_files_setup(port, workdir, jpeg):
    port = int(port)
    user = read_token(workdir, "user")
    _collection(port, read_token(workdir, "superuser"))
    small = _upload(port, user, "small", "small.bin", random.Random(15).randbytes(SMALL_BYTES))
    with open(jpeg, "rb") as f:
        photo = f.read()
    t0 = time.monotonic()
    photos = [_upload(port, user, f"photo {i}", "photo.jpg", photo) for i in range(FIRST + BURST)]
    print(f"collection 'files' (owner rules {OWNER_RULE!r}, protected file field '{FIELD}'): a {SMALL_BYTES // 1024} KB "
          f"file and a {len(photo) / 1e6:.1f} MB 12-megapixel JPEG uploaded to {len(photos)} records "
          f"({time.monotonic() - t0:.1f} s)")
    with open(os.path.join(workdir, STATE_FILE), "w") as f:
        json.dump({"small": small, "photos": photos, "jpeg_bytes": len(photo)}, f)


def cmd_files_path(port, workdir, kind):
    """Prints the path a wrk row loads, with a fresh file token of the bench user: `small` (the 10 KB file) or
    `thumb` (the first photo's 100x100 thumbnail, which the timed first thumbnails made and stored; checked here)."""
    port = int(port)
    with open(os.path.join(workdir, STATE_FILE)) as f:
        state = json.load(f)
    token = _file_token(port, read_token(workdir, "user"))
    if kind == "small":
        path = _file_path(state["small"], token)
        status, _, size, _ = _get(port, path)
        if status != 200 or size != SMALL_BYTES:
            die(f"download of the {SMALL_BYTES}-byte file: HTTP {status}, {size} bytes")
    elif kind == "thumb":
        f = state["photos"][0]
        path = _file_path(f, token, THUMB)
        status, headers, size, _ = _get(port, path)
        problem = _thumb_problem(f, status, headers, size)
        if problem:
            die(f"cached thumbnail {path}: {problem}")
    else:
        die(f"files-path: unknown kind {kind!r}")
    print(path)


def _pct(values, p):
    """Nearest-rank percentile of seconds, in ms."""
    v = sorted(values)
    return v[max(0, -(-p * len(v) // 100) - 1)] * 1000


def _reset_hwm(pid):
    """Resets the process's VmHWM to its current RSS (Linux ≥ 4.0: "5" to /proc/PID/clear_refs), so the VmHWM read
    after the burst is the burst's peak, not the peak of earlier phases. False when not allowed."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError as e:
        print(f"warning: could not reset the server's VmHWM ({e}); the burst's figure is the peak of the whole run")
        return False


def cmd_files_thumbs(port, workdir, server_pid):
    """The timed first thumbnails (one at a time), then the burst with the server's peak RSS. Writes RESULT_FILE;
    exit 2 when any answer is not the thumbnail."""
    port, pid = int(port), int(server_pid)
    with open(os.path.join(workdir, STATE_FILE)) as f:
        photos = json.load(f)["photos"]
    token = _file_token(port, read_token(workdir, "user"))
    problems = []

    times = []
    for f in photos[:FIRST]:
        status, headers, size, dt = _get(port, _file_path(f, token, THUMB))
        problem = _thumb_problem(f, status, headers, size)
        if problem:
            problems.append(f"first thumbnail of {f['id']}: {problem}")
        times.append(dt)
    first = {"n": len(times), "p50_ms": _pct(times, 50), "p95_ms": _pct(times, 95), "max_ms": max(times) * 1000,
             "min_ms": min(times) * 1000}
    print(f"first thumbnails, one at a time, {len(times)} photos: p50 {first['p50_ms']:.0f} ms, p95 "
          f"{first['p95_ms']:.0f} ms, min {first['min_ms']:.0f} ms, max {first['max_ms']:.0f} ms")

    # The burst: BURST threads, released together, each asks for another photo's first thumbnail; a sampler reads
    # VmRSS every 10 ms meanwhile (a cross-check of VmHWM, which the kernel keeps exactly).
    time.sleep(6)  # past the server's 5 s native-heap trim: the figure before starts from a settled process
    before = proc_status_kb(pid)
    reset = _reset_hwm(pid)
    answers = [None] * BURST
    gate = threading.Barrier(BURST + 1)
    done = threading.Event()
    samples = []

    def one(i, f):
        gate.wait()
        try:
            answers[i] = _get(port, _file_path(f, token, THUMB))
        except OSError as e:
            answers[i] = e

    def sample():
        while not done.is_set():
            samples.append(proc_status_kb(pid)["VmRSS"])
            time.sleep(0.01)

    threads = [threading.Thread(target=one, args=(i, f)) for i, f in enumerate(photos[FIRST:FIRST + BURST])]
    for t in threads:
        t.start()
    sampler = threading.Thread(target=sample)
    sampler.start()
    t0 = time.monotonic()
    gate.wait()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    time.sleep(0.5)  # the last thumbnail's memory may still be in use just after its answer
    done.set()
    sampler.join()
    after = proc_status_kb(pid)
    ok, latencies = 0, []
    for f, a in zip(photos[FIRST:FIRST + BURST], answers):
        problem = f"socket error {a}" if isinstance(a, Exception) else _thumb_problem(f, *a[:3])
        if problem:
            problems.append(f"burst thumbnail of {f['id']}: {problem}")
        else:
            ok += 1
            latencies.append(a[3])
    burst = {"n": BURST, "ok": ok, "wall_s": wall, "hwm_reset": reset, "rss_before_kb": before["VmRSS"],
             "vmhwm_kb": after["VmHWM"], "rss_after_kb": after["VmRSS"], "sampled_max_kb": max(samples),
             "p50_ms": _pct(latencies, 50) if latencies else None,
             "max_ms": max(latencies) * 1000 if latencies else None}
    print(f"burst of {BURST} first thumbnails at once: {ok} thumbnails in {wall:.1f} s; server VmRSS "
          f"{before['VmRSS'] / 1024:.1f} MiB before, peak (VmHWM{' since the burst began' if reset else ''}) "
          f"{after['VmHWM'] / 1024:.1f} MiB, max of {len(samples)} samples {max(samples) / 1024:.1f} MiB, "
          f"{after['VmRSS'] / 1024:.1f} MiB after")
    for p in problems[:10]:
        print(f"FAIL {p}")
    with open(os.path.join(workdir, RESULT_FILE), "w") as f:
        json.dump({"first": first, "burst": burst, "problems": problems, "thumb": THUMB}, f)
    if problems:
        raise SystemExit(2)


def cmd_files_train(port, workdir, jpeg):
    """The first start's share of the files phase, for its start-up cache: the same kinds of requests on a few
    records (uploads of both kinds, first and stored thumbnails, downloads with a file token)."""
    port = int(port)
    user = read_token(workdir, "user")
    _collection(port, read_token(workdir, "superuser"))
    with open(jpeg, "rb") as f:
        photo = f.read()
    data = random.Random(16).randbytes(100 * 1024)
    uploads = [_upload(port, user, f"upload {i}", "upload.bin", data) for i in range(50)]
    photos = [_upload(port, user, f"photo {i}", "photo.jpg", photo) for i in range(3)]
    token = _file_token(port, user)
    for f in photos:
        for _ in range(2):  # the first makes it, the second serves the stored one
            status, headers, size, _ = _get(port, _file_path(f, token, THUMB))
            if _thumb_problem(f, status, headers, size):
                die(f"first start: thumbnail of {f['id']}: {_thumb_problem(f, status, headers, size)}")
    for f in uploads:
        if _get(port, _file_path(f, token))[0] != 200:
            die(f"first start: download of {f['id']} failed")
