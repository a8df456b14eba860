"""`make bench-edge`: one article page through the production chain against nginx serving it as a file.

    python bench/edge_chain.py [--duration 15] [--connections 32]

Starts the chain of tests/deploy (deploy/chain.py: the demo site, gunicorn with 2 workers and production
settings, nginx with deploy/nginx/qingshan.conf, varnishd with deploy/varnish/default.vcl, all on free
loopback ports), saves the article page as Varnish serves it into STATIC_ROOT (with a .gz beside it, as
collectstatic does for every static file), and runs ``wrk -t2 -c32 -d15s`` on:

- **varnish**: the article through Varnish (every request a hit);
- **nginx static**: the same HTML as a file served by nginx from its static folder;
- **nginx → gunicorn**: the article through nginx alone, answered by Django's page cache (for context).

Each is measured as a browser asks (``Accept-Encoding: gzip``) and without compression. Prints req/s,
latency and the ratio varnish / nginx static (the goal is at least 0.5); never asserts. Needs nginx,
varnish and wrk (``apt-get install -y nginx varnish wrk``).
"""

import argparse
import gzip
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.chain import HOST, Chain, ChainError, fetch  # noqa: E402

ARTICLE = "/yaowen/shouhu-lvshui-qingshan-dangjian-lianmeng/"
STATIC_COPY = "edge-bench/article.html"
ENCODINGS = (("gzip", {"Accept-Encoding": "gzip"}), ("identity", {}))


def wrk(url, headers, args):
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency", "-H", f"Host: {HOST}"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def latency(percent):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        return float(match.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[match.group(2)]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency(50),
        "p99": latency(99),
        "errors": int(errors.group(1)) if errors else 0,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=15, help="seconds of wrk per measurement")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--nginx-workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--varnish-param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a varnishd -p parameter, e.g. http_gzip_support=off (repeatable)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")

    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="edge-chain-", dir=out) as workdir:
        try:
            chain = Chain(workdir, nginx_workers=args.nginx_workers, varnish_params=args.varnish_param)
            print("preparing the demo site (migrate, load_demo, collectstatic) ...", file=sys.stderr)
            chain.prepare()
            chain.start()
        except ChainError as error:
            sys.exit(str(error))
        try:
            status, _headers, html = fetch(chain.varnish_url + ARTICLE)
            if status != 200:
                sys.exit(f"{ARTICLE} answered {status} through Varnish")
            copy = chain.static_root / STATIC_COPY
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(html)
            Path(f"{copy}.gz").write_bytes(gzip.compress(html, compresslevel=9))
            targets = {
                "varnish": chain.varnish_url + ARTICLE,
                "nginx static": f"{chain.nginx_url}/static/{STATIC_COPY}",
                "nginx → gunicorn": chain.nginx_url + ARTICLE,
            }
            for url in targets.values():
                for _encoding, headers in ENCODINGS:
                    for _ in range(3):  # Varnish and Django's page cache hold the page from here on
                        fetch(url, headers)
            load_before = os.getloadavg()
            results = {}
            for encoding, headers in ENCODINGS:
                for name, url in targets.items():
                    print(f"  {encoding:<8} {name} ...", file=sys.stderr)
                    results[(name, encoding)] = wrk(url, headers, args)
            load_after = os.getloadavg()
        finally:
            chain.stop()

    print(
        f"\n{datetime.now():%Y-%m-%d %H:%M} — {platform.node()}: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; wrk -t2 -c{args.connections} -d{args.duration}s; gunicorn 2 sync workers, "
        f"nginx {args.nginx_workers} worker(s); varnishd {' '.join(args.varnish_param) or 'defaults'}; "
        f"article {len(html):,} bytes; load average "
        f"{load_before[0]:.2f} before, {load_after[0]:.2f} after\n"
    )
    print("| path | Accept-Encoding | req/s | p50 ms | p99 ms | non-2xx |")
    print("|---|---|---:|---:|---:|---:|")
    for encoding, _headers in ENCODINGS:
        for name in targets:
            row = results[(name, encoding)]
            figures = f"{row['rps']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | {row['errors']}"
            print(f"| {name} | {encoding} | {figures} |")
    print()
    for encoding, _headers in ENCODINGS:
        ratio = results[("varnish", encoding)]["rps"] / results[("nginx static", encoding)]["rps"]
        verdict = "met" if ratio >= 0.5 else "NOT met"
        print(f"varnish / nginx static ({encoding}): {ratio:.2f} (goal ≥ 0.50: {verdict})")


if __name__ == "__main__":
    main()
