"""What bench/nanobench.py and its modules (realtime_probe.py, report.py) share, from one place (python3
standard library only): the bench collection and its owner rules, the files setup writes to the work folder,
and the blocking HTTP helpers the probes use."""
import http.client
import json
import os
import sys

HOST = "127.0.0.1"

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


def request_json(port, method, path, body=None, token=None, timeout=30):
    """A request that must answer 2xx with a JSON object; dies otherwise."""
    status, text = call(port, method, path, body, timeout=timeout, token=token)
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


def fmt_ms(v):
    if v is None:
        return "-"
    return f"{v:.2f} ms" if v < 10 else f"{v:.1f} ms"
