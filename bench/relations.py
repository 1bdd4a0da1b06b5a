"""The relations phase of bench/run (python3 standard library only): 10,000 authors and 100,000 posts that
reference them, loaded through the batch API as the superuser, and the checks that the phase's lists are exact.

Ownership: every 100th author is owned by the bench user (100 authors), the others by the stranger; each author
has 10 posts, so the bench user's posts are 1,000 and the stranger's 99,000. The scenarios (bench/run): a list of
30 posts with expand=author and a view with expand=author while every post is public, then a list whose list rule
follows the relation (author.owner = @request.auth.id) with exact totals.
"""
import json
import os
import random

from common import call, die, get_json, login, read_token, request_json

AUTHORS = 10_000
POSTS = 100_000
BATCH = 1_000
RELATION_RULE = "author.owner = @request.auth.id"
POSTS_PATH = "/api/collections/posts/records"
OPEN = {"listRule": "", "viewRule": "", "createRule": None, "updateRule": None, "deleteRule": None}


def _ids(n, rnd):
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return ["".join(rnd.choice(alphabet) for _ in range(15)) for _ in range(n)]


def _load(port, token, collection, bodies):
    for i in range(0, len(bodies), BATCH):
        ops = [{"method": "POST", "url": f"/api/collections/{collection}/records", "body": b} for b in bodies[i:i + BATCH]]
        status, text = call(port, "POST", "/api/batch", {"requests": ops}, timeout=120, token=token)
        answer = json.loads(text) if status == 200 else None
        if not isinstance(answer, list) or len(answer) != len(ops) or any(a.get("status") != 200 for a in answer):
            die(f"batch of {len(ops)} into {collection}: HTTP {status} {text[:300]}")


def _collections(port, su):
    """authors (name, owner -> users) and posts (title, author -> authors), both public."""
    request_json(port, "POST", "/api/collections", {"name": "authors", **OPEN, "fields": [
        {"name": "name", "type": "text"}, {"name": "owner", "type": "relation", "collectionId": "users"}]}, token=su)
    request_json(port, "POST", "/api/collections", {"name": "posts", **OPEN, "fields": [
        {"name": "title", "type": "text"}, {"name": "author", "type": "relation", "collectionId": "authors"}]}, token=su)


def cmd_relations_setup(port, workdir, user_email, user_password, stranger_email, stranger_password):
    port = int(port)
    su = read_token(workdir, "superuser")
    _, user_id = login(port, "users", user_email, user_password)
    _, stranger_id = login(port, "users", stranger_email, stranger_password)
    _collections(port, su)
    rnd = random.Random(14)
    authors = _ids(AUTHORS, rnd)
    posts = _ids(POSTS, rnd)
    _load(port, su, "authors", [{"id": a, "name": f"author {i}", "owner": user_id if i % 100 == 0 else stranger_id}
                                for i, a in enumerate(authors)])
    _load(port, su, "posts", [{"id": p, "title": f"post {i}", "author": authors[i % AUTHORS]} for i, p in enumerate(posts)])
    with open(os.path.join(workdir, "post-ids.lua"), "w") as f:
        f.write("local blob = [[\n" + "\n".join(posts) + "\n]]\nlocal ids = {}\n"
                "for id in blob:gmatch(\"[^\\n]+\") do ids[#ids + 1] = id end\nreturn ids\n")
    print(f"loaded {AUTHORS} authors (100 of them the bench user's) and {POSTS} posts through /api/batch")


def cmd_relations_train(port, workdir, user_email, user_password):
    """The first start's share of the relations phase, so that its start-up cache (which records what the run did)
    knows the relation paths as it knows every other scenario's: a small authors/posts pair, then the requests the
    measured run makes (expanded lists and views, a list under the relation rule)."""
    port = int(port)
    su = read_token(workdir, "superuser")
    user = read_token(workdir, "user")
    _, user_id = login(port, "users", user_email, user_password)
    _collections(port, su)
    rnd = random.Random(15)
    authors = _ids(100, rnd)
    posts = _ids(1_000, rnd)
    _load(port, su, "authors", [{"id": a, "name": f"author {i}", "owner": user_id} for i, a in enumerate(authors)])
    _load(port, su, "posts", [{"id": p, "title": f"post {i}", "author": authors[i % 100]} for i, p in enumerate(posts)])
    for i in range(300):
        call(port, "GET", POSTS_PATH + "?perPage=30&expand=author", token=user)
        call(port, "GET", f"{POSTS_PATH}/{posts[i]}?expand=author", token=user)
    request_json(port, "PATCH", "/api/collections/posts", {"listRule": RELATION_RULE}, token=su)
    for _ in range(300):
        call(port, "GET", POSTS_PATH + "?perPage=30", token=user)


def cmd_relations_rule(port, workdir):
    """Puts the relation rule on posts' list rule, then checks the totals it gives each user."""
    port = int(port)
    su = read_token(workdir, "superuser")
    request_json(port, "PATCH", "/api/collections/posts", {"listRule": RELATION_RULE}, token=su)
    expect = {"user": POSTS // 100, "stranger": POSTS - POSTS // 100}
    for who, n in expect.items():
        total = get_json(port, POSTS_PATH + "?perPage=30", read_token(workdir, who)).get("totalItems")
        if total != n:
            die(f"list rule {RELATION_RULE!r}: {who} got totalItems {total}, expected {n}")
    page = get_json(port, POSTS_PATH + "?perPage=30&expand=author", read_token(workdir, "user"))
    if any(item.get("expand", {}).get("author", {}).get("owner") is None for item in page.get("items", [])):
        die("expand=author did not give every listed post its author")
    print(f"list rule {RELATION_RULE!r}: exact totals {expect}")
    with open(os.path.join(workdir, "relations.json"), "w") as f:
        json.dump({"rule": RELATION_RULE, "totals": expect}, f)

