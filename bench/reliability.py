"""Reliability checks on the production setup (not a test suite): sustained load, then a database restart.

    .venv/bin/python bench/reliability.py [--duration 60] [--connections 64]

Needs root, PostgreSQL 15 (pg_createcluster) and wrk (apt-get install -y wrk). It creates a scratch
PostgreSQL cluster on port 5439, loads the demo into it, starts gunicorn with production settings
(2 workers), and then:

1. load: wrk for --duration seconds with --connections connections over home, channel, article,
   search and RSS; passes when wrk reports no socket errors and no non-2xx/3xx responses;
2. fault: requests keep coming while PostgreSQL is stopped for 8 s and started again; passes when
   every request during the outage fails fast (under 5 s, with 503) and requests succeed again
   within 10 s of the restart, with the same gunicorn processes.

Prints the figures and exits non-zero if a check fails.
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.chain import gunicorn_command  # noqa: E402

PY = sys.executable
CLUSTER, PG_PORT, WEB_PORT = "qsfault", 5439, 8011
BASE = f"http://127.0.0.1:{WEB_PORT}"
PATHS = [
    "/",
    "/yaowen/",
    "/yaowen/shouhu-lvshui-qingshan-dangjian-lianmeng/",
    "/search/?q=%E9%BB%84%E6%B2%B3",
    "/rss/",
]


def run(*command, env=None, check=True, quiet=True):
    return subprocess.run(command, cwd=ROOT, env=env, check=check, capture_output=quiet, text=True, timeout=600)


def pg(*sql):
    for statement in sql:
        run("runuser", "-u", "postgres", "--", "psql", "-p", str(PG_PORT), "-q", "-c", statement)


def start_cluster():
    run("pg_dropcluster", "15", CLUSTER, "--stop", check=False)
    run("pg_createcluster", "15", CLUSTER, "--port", str(PG_PORT), "--start")
    pg(
        "CREATE ROLE qingshan_fault LOGIN PASSWORD 'qingshan_fault'",
        "CREATE DATABASE qingshan_fault OWNER qingshan_fault",
    )


def environment():
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://qingshan_fault:qingshan_fault@127.0.0.1:{PG_PORT}/qingshan_fault",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_DB_CONNECT_TIMEOUT="2",
    )
    return env


def get(path, timeout=10):
    started = time.monotonic()
    try:
        with urllib.request.urlopen(BASE + path, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return status, time.monotonic() - started


def wait_for_site(seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if get("/")[0] == 200:
            return True
        time.sleep(0.3)
    return False


def load_check(duration, connections):
    script = ROOT / "bench" / "out" / "paths.lua"
    script.parent.mkdir(parents=True, exist_ok=True)
    paths = ", ".join(f'"{path}"' for path in PATHS)
    script.write_text(
        f"local paths = {{{paths}}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n  return wrk.format(nil, paths[(i % #paths) + 1])\nend\n"
    )
    output = run(
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(script),
        BASE + "/",
    ).stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    socket_errors = sum(int(n) for n in socket.groups()) if socket else 0
    p99 = re.search(r"99%\s+(\S+)", output).group(1)
    print(f"load: {requests} requests in {duration} s with {connections} connections, {rate:.0f} req/s, p99 {p99}")
    print(f"load: non-2xx/3xx responses {non_2xx}, socket errors {socket_errors}")
    return non_2xx == 0 and socket_errors == 0 and requests > 0


def fault_check(gunicorn_pids, pids_before):
    results = []
    stop = threading.Event()

    def client():
        n = 0
        while not stop.is_set():
            n += 1
            # A fresh query string per request, so answers come from the database, not a cache.
            status, seconds = get(f"/search/?q=%E9%BB%84%E6%B2%B3&n={n}")
            results.append((time.monotonic(), status, seconds))
            time.sleep(0.05)

    worker = threading.Thread(target=client)
    worker.start()
    time.sleep(3)
    down_at = time.monotonic()
    run("pg_ctlcluster", "15", CLUSTER, "stop", "-m", "fast")
    time.sleep(8)
    up_at = time.monotonic()
    run("pg_ctlcluster", "15", CLUSTER, "start")
    time.sleep(12)
    stop.set()
    worker.join()

    during = [(status, seconds) for at, status, seconds in results if down_at + 0.5 < at < up_at]
    after = [(at, status) for at, status, _ in results if at > up_at]
    recovered_at = next((at for at, status in after if status == 200), None)
    tail = [status for at, status in after if recovered_at and at > recovered_at]
    slowest = max((seconds for _, seconds in during), default=0.0)
    statuses = sorted({status for status, _ in during})
    print(f"fault: {len(during)} requests while PostgreSQL was down: statuses {statuses}, slowest {slowest:.2f} s")
    if recovered_at is None:
        print("fault: no successful request after the restart")
        return False
    print(
        f"fault: first 200 {recovered_at - up_at:.1f} s after restart; after that "
        f"{tail.count(200)}/{len(tail)} requests 200; gunicorn pids unchanged: {gunicorn_pids() == pids_before}"
    )
    return (
        bool(during)
        and all(status == 503 for status, _ in during)
        and slowest < 5
        and recovered_at - up_at < 10
        and all(status == 200 for status in tail)
        and gunicorn_pids() == pids_before
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    args = parser.parse_args()
    for tool in ("wrk", "pg_createcluster"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install -y wrk postgresql-15")

    env = environment()
    start_cluster()
    gunicorn = None
    try:
        dev = dict(env, DJANGO_SETTINGS_MODULE="config.settings.dev")
        run(PY, "manage.py", "migrate", "--noinput", env=dev)
        run(PY, "manage.py", "load_demo", env=dev)
        prod = dict(env, DJANGO_SETTINGS_MODULE="config.settings.production")
        run(PY, "manage.py", "collectstatic", "--noinput", env=prod)
        gunicorn = subprocess.Popen(
            gunicorn_command(WEB_PORT),
            cwd=ROOT,
            env=prod,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not wait_for_site():
            sys.exit("gunicorn did not serve the home page")

        def gunicorn_pids():
            children = run("pgrep", "-P", str(gunicorn.pid), check=False).stdout.split()
            return sorted([gunicorn.pid, *map(int, children)])

        pids_before = gunicorn_pids()
        load_ok = load_check(args.duration, args.connections)
        fault_ok = fault_check(gunicorn_pids, pids_before)
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        run("pg_dropcluster", "15", CLUSTER, "--stop", check=False)
    print(f"load check: {'PASS' if load_ok else 'FAIL'}; fault check: {'PASS' if fault_ok else 'FAIL'}")
    sys.exit(0 if load_ok and fault_ok else 1)


if __name__ == "__main__":
    main()
