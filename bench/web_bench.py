#!/usr/bin/python3
"""web_bench: `station serve` on a generated journal of N documents (issue #9).

Generates (or reuses) a journal with build/bench/journal_bench, adds users and a recent
history of journalisings to the audit log, starts the built `station serve` on a free port
of 127.0.0.1 as a user would, logs in and measures over keep-alive connections:

  (a) page load: GET / + every UI asset the page and its modules name + /api/me + the
      first screen's API calls, sequentially, as a cold browser without cache would;
  (b) API latency of the read endpoints in ENDPOINTS (data: add the cases, search, batches
      and archive endpoints as they land on main, or pass --endpoint PATH);

and reports p50/p95/p99 per endpoint with the same statistics for the peer, Python's
http.server (Debian's python3, HTTP/1.1 keep-alive) serving the same response bodies as
static files from disk: the cost of an HTTP round trip of the same bytes. Ratios are
station / peer, measured in the same run. Finally the server's VmRSS and VmHWM
(/proc/PID/status). Results: OUT/web_bench.json and a table on stdout.

  /usr/bin/python3 bench/web_bench.py [--station build/bin/station]
      [--journal-bench build/bench/journal_bench] [--documents 100000] [--requests 200]
      [--page-loads 30] [--out bench/out/web] [--endpoint /api/x ...]
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

# The read endpoints measured, as (name, path): GET, as the logged-in manager. Endpoints
# answering 404 (not on main yet) are skipped and listed in the output.
ENDPOINTS = [
    ("me", "/api/me"),
    ("routes", "/api/routes"),
    ("dashboard", "/api/dashboard"),
    ("dashboard_90", "/api/dashboard?dage=90"),
    ("cases", "/api/cases"),
    ("case", "/api/cases/1"),
    ("case_documents", "/api/cases/1/documents"),
    ("document", "/api/documents/1"),
    ("batches", "/api/batches"),
    ("archive_locations", "/api/archive/locations"),
    ("archive_loans", "/api/archive/loans"),
]

# The API calls of the first screen the manager sees (#/leder).
FIRST_SCREEN_CALLS = ["/api/dashboard?dage=30"]

PASSWORD = "korrekt hest batteri web-bench"
OPERATORS = ["anna", "bo", "carl", "dorte", "emil", "frida"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server stopped while starting (exit %d)" % proc.returncode)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not listen on port %d within %d s" % (port, seconds))


def percentile(values, p):
    if not values:
        return 0.0
    v = sorted(values)
    return v[min(len(v) - 1, int(p * len(v)))]


def stats(ms):
    return {"n": len(ms), "p50_ms": round(percentile(ms, 0.50), 3),
            "p95_ms": round(percentile(ms, 0.95), 3), "p99_ms": round(percentile(ms, 0.99), 3),
            "max_ms": round(max(ms), 3) if ms else 0.0}


class Client:
    """One keep-alive connection with an optional session cookie."""

    def __init__(self, port, cookie=""):
        self.port = port
        self.cookie = cookie
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        for attempt in range(2):
            try:
                start = time.perf_counter()
                self.conn.request(method, path, body=body, headers=h)
                res = self.conn.getresponse()
                data = res.read()
                ms = (time.perf_counter() - start) * 1000.0
                return res, data, ms
            except (http.client.HTTPException, ConnectionError):
                if attempt:
                    raise
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def close(self):
        self.conn.close()


def generate_journal(args, data_dir):
    db = os.path.join(data_dir, "journal.sqlite3")
    os.makedirs(data_dir, exist_ok=True)
    stamp = os.path.join(data_dir, "web_bench.done")
    if os.path.exists(stamp) and open(stamp).read().strip() == str(args.documents):
        print("reusing the journal in %s" % data_dir, file=sys.stderr)
        return db
    for name in os.listdir(data_dir):
        path = os.path.join(data_dir, name)
        shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    t0 = time.monotonic()
    subprocess.run([args.journal_bench, "--documents", str(args.documents), "--queries", "1",
                    "--commits", "0", "--keep", "--db", db,
                    "--out", os.path.join(args.out, "journal_bench.json")],
                   check=True, stdout=subprocess.DEVNULL)
    add_history(db)
    with open(stamp, "w") as f:
        f.write(str(args.documents))
    print("generated %d documents in %.0f s" % (args.documents, time.monotonic() - t0),
          file=sys.stderr)
    return db


def add_history(db):
    """An audit entry "document.journalise" for every journalised document, spread over the
    operators, at its journal date, as a station that journalised them would have: the
    dashboard's throughput reads them. (Placeholder hashes: journal_bench's bulk load writes
    no audit entries, so the generated journal is no valid audit chain; the server does not
    verify the chain at start.)"""
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT id, journal_date FROM documents WHERE state = 'journalised' "
        "ORDER BY journal_date, id").fetchall()
    audit = []
    for doc_id, jdate in rows:
        audit.append((jdate, OPERATORS[(doc_id * 7919) % len(OPERATORS)], "document.journalise",
                      "document", str(doc_id), None, '{"bench":true}', "0" * 64, "0" * 64))
    con.executemany(
        "INSERT INTO audit_log (time, actor, action, entity, entity_id, before, after, "
        "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", audit)
    con.commit()
    con.close()


def station_env(home):
    env = dict(os.environ)
    env["HOME"] = home
    for k in ("XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        env.pop(k, None)
    return env


def add_users(args, home):
    env = station_env(home)
    for name, role in (("admin", "administrator"), ("leder", "manager"), ("ida", "post_room"),
                       ("sara", "caseworker")):
        r = subprocess.run([args.station, "user", "add", name, "--role", role,
                            "--password-stdin"], input=PASSWORD + "\n", text=True, env=env,
                           capture_output=True)
        if r.returncode != 0 and "optaget" not in (r.stdout + r.stderr):  # already added
            raise SystemExit("station user add %s failed: %s" % (name, r.stderr.strip()))


def login(port, user):
    c = Client(port)
    res, data, _ = c.request("POST", "/api/login",
                             body=json.dumps({"username": user, "password": PASSWORD}),
                             headers={"Content-Type": "application/json"})
    if res.status != 200:
        raise SystemExit("login failed: %d %s" % (res.status, data[:200]))
    cookie = res.getheader("Set-Cookie").split(";", 1)[0]
    c.close()
    return cookie


def ui_assets(client):
    """GET / and every asset it and its modules name, once each, in discovery order."""
    res, html, _ = client.request("GET", "/")
    assert res.status == 200, res.status
    found, queue = [], []
    for m in re.finditer(rb'(?:src|href)="(/[^"]+)"', html):
        queue.append(m.group(1).decode())
    while queue:
        path = queue.pop(0)
        if path in found:
            continue
        found.append(path)
        if path.endswith(".js"):
            res, body, _ = client.request("GET", path)
            for m in re.finditer(rb"""(?:from|import)\s*\(?\s*['"](/[^'"]+)['"]""", body):
                queue.append(m.group(1).decode())
    return found


def page_load_paths(client):
    return ["/"] + ui_assets(client) + ["/api/me"] + FIRST_SCREEN_CALLS


def measure(client, paths, rounds, bodies=None):
    """Latency of each path over `rounds` requests (after one warm-up each)."""
    out = {}
    for path in paths:
        res, body, _ = client.request("GET", path)
        if bodies is not None:
            bodies[path] = (res.status, body, res.getheader("Content-Type"))
        out[path] = []
        for _ in range(rounds):
            res, body, ms = client.request("GET", path)
            out[path].append(ms)
    return out


def measure_page_loads(client, paths, loads):
    totals = []
    for _ in range(loads):
        start = time.perf_counter()
        for path in paths:
            client.request("GET", path)
        totals.append((time.perf_counter() - start) * 1000.0)
    return totals


PEER_SERVER = r"""
import http.server, sys
class H(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def translate_path(self, path):
        return super().translate_path(self.headers.get("X-Peer-File", path))
http.server.ThreadingHTTPServer.daemon_threads = True
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])),
    lambda *a, **k: H(*a, directory=sys.argv[2], **k)).serve_forever()
"""


def peer_name(path):
    return "/" + re.sub(r"[^A-Za-z0-9._-]", "_", path.strip("/") or "index") + ".body"


class PeerClient(Client):
    """Requests the peer's static copy of `path` (the file named by X-Peer-File)."""

    def get(self, path):
        return self.request("GET", "/x", headers={"X-Peer-File": peer_name(path)})


def measure_peer(client, paths, rounds):
    out = {}
    for path in paths:
        client.get(path)
        out[path] = [client.get(path)[2] for _ in range(rounds)]
    return out


def measure_peer_page_loads(client, paths, loads):
    totals = []
    for _ in range(loads):
        start = time.perf_counter()
        for path in paths:
            client.get(path)
        totals.append((time.perf_counter() - start) * 1000.0)
    return totals


def proc_memory(pid):
    mem = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                mem[key] = int(value.split()[0])  # kB
    return mem


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--station", default=os.path.join(root, "build/bin/station"))
    ap.add_argument("--journal-bench", default=os.path.join(root, "build/bench/journal_bench"))
    ap.add_argument("--documents", type=int, default=100000)
    ap.add_argument("--requests", type=int, default=200, help="per endpoint")
    ap.add_argument("--page-loads", type=int, default=30)
    ap.add_argument("--out", default=os.path.join(root, "bench/out/web"))
    ap.add_argument("--endpoint", action="append", default=[],
                    help="another GET path to measure (repeatable)")
    args = ap.parse_args()
    args.out = os.path.abspath(args.out)
    os.makedirs(args.out, exist_ok=True)

    home = os.path.join(args.out, "home")
    data_dir = os.path.join(home, ".local/share/intake-station")
    generate_journal(args, data_dir)
    add_users(args, home)

    port = free_port()
    server = subprocess.Popen([args.station, "serve", "--listen", "127.0.0.1:%d" % port],
                              env=station_env(home), stdout=subprocess.DEVNULL,
                              stderr=open(os.path.join(args.out, "serve.log"), "w"))
    peer = None
    try:
        wait_for_port(port, server)
        cookie = login(port, "leder")
        client = Client(port, cookie)

        endpoints = ENDPOINTS + [(p, p) for p in args.endpoint]
        live, missing = [], []
        for name, path in endpoints:
            res, _, _ = client.request("GET", path)
            (live if res.status == 200 else missing).append((name, path, res.status))
        page_paths = page_load_paths(client)

        bodies = {}
        t0 = time.monotonic()
        station_lat = measure(client, [p for _, p, _ in live], args.requests, bodies)
        measure(client, page_paths, 0, bodies)  # the page's bodies for the peer
        station_pages = measure_page_loads(client, page_paths, args.page_loads)
        station_seconds = time.monotonic() - t0
        memory = proc_memory(server.pid)
        client.close()

        peer_dir = tempfile.mkdtemp(prefix="peer-", dir=args.out)
        for path, (_, body, _) in bodies.items():
            with open(peer_dir + peer_name(path), "wb") as f:
                f.write(body)
        peer_port = free_port()
        peer = subprocess.Popen(["/usr/bin/python3", "-c", PEER_SERVER, str(peer_port),
                                 peer_dir], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(peer_port, peer)
        pc = PeerClient(peer_port)
        peer_lat = measure_peer(pc, [p for _, p, _ in live], args.requests)
        peer_pages = measure_peer_page_loads(pc, page_paths, args.page_loads)
        pc.close()
        shutil.rmtree(peer_dir)
    finally:
        server.terminate()
        server.wait(timeout=30)
        if peer:
            peer.terminate()
            peer.wait(timeout=30)

    result = {"documents": args.documents, "requests_per_endpoint": args.requests,
              "page_loads": args.page_loads, "page_paths": page_paths,
              "station_seconds": round(station_seconds, 1),
              "server_memory_kb": memory, "endpoints": {}, "skipped": [
                  {"name": n, "path": p, "status": s} for n, p, s in missing]}
    print("web_bench: %d documents, %d requests per endpoint, keep-alive, one client"
          % (args.documents, args.requests))
    print("%-16s %8s %8s %8s | %8s %8s %8s | %6s %6s %8s" %
          ("endpoint", "p50 ms", "p95 ms", "p99 ms", "peer p50", "p95", "p99", "×p50",
           "×p95", "bytes"))

    def row(name, s, p, size):
        r50 = s["p50_ms"] / p["p50_ms"] if p["p50_ms"] else 0
        r95 = s["p95_ms"] / p["p95_ms"] if p["p95_ms"] else 0
        print("%-16s %8.2f %8.2f %8.2f | %8.2f %8.2f %8.2f | %6.1f %6.1f %8d" %
              (name, s["p50_ms"], s["p95_ms"], s["p99_ms"], p["p50_ms"], p["p95_ms"],
               p["p99_ms"], r50, r95, size))
        return {"station": s, "peer": p, "ratio_p50": round(r50, 2), "ratio_p95": round(r95, 2),
                "bytes": size}

    for name, path, _ in live:
        result["endpoints"][name] = dict(
            path=path, **row(name, stats(station_lat[path]), stats(peer_lat[path]),
                             len(bodies[path][1])))
    page_bytes = sum(len(bodies[p][1]) for p in page_paths)
    result["page_load"] = row("page load", stats(station_pages), stats(peer_pages), page_bytes)
    result["page_load"]["requests"] = len(page_paths)
    print("page load = %d requests: %s" % (len(page_paths), " ".join(page_paths)))
    for n, p, s in missing:
        print("skipped %s (%s): HTTP %d" % (n, p, s))
    print("server memory after the run: VmRSS %d kB, VmHWM %d kB"
          % (memory.get("VmRSS", 0), memory.get("VmHWM", 0)))
    with open(os.path.join(args.out, "web_bench.json"), "w") as f:
        json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
