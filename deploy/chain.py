"""The production chain on loopback, for tests and benchmarks: varnishd → nginx → gunicorn.

    with Chain(workdir) as chain:      # migrate, load_demo, collectstatic, then start all three
        urllib.request.urlopen(chain.varnish_url + "/")

Everything lives in ``workdir``: a SQLite database with the demo content, STATIC_ROOT, MEDIA_ROOT, the
content-generation file, nginx's prefix (its configuration made from deploy/nginx/qingshan.conf, pid,
logs, temp folders), Varnish's working folder (with deploy/varnish/default.vcl pointing at nginx) and the
logs. Ports are free loopback ports chosen at start. gunicorn runs with production settings and
``VARNISH_URL`` set to this Varnish, so a publish purges it, as in production.

A missing nginx or varnishd raises :class:`ChainError` naming the Debian package to install.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_SITE = ROOT / "deploy" / "nginx" / "qingshan.conf"
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
# The demo Site's hostname: readers send it, and the site's PURGE carries it, so both name the same objects.
HOST = "localhost"
START_SECONDS = 120  # a loaded two-core machine can take long to import Django in every worker


def gunicorn_command(port, workers=2):
    """gunicorn as the Procfile runs it (config/gunicorn.py: each worker warms up), on loopback ``port``."""
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    return [
        gunicorn,
        "-c",
        "config/gunicorn.py",
        "config.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
    ]


class ChainError(RuntimeError):
    """The chain could not be prepared or started; the message says why (and includes the log's end)."""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def find_tool(name, package):
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin:/sbin")
    if path is None:
        raise ChainError(f"{name} is not installed: apt-get install -y {package}")
    return path


def _tail(path, lines=30):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _substitute(text, placeholder, value, source):
    if placeholder not in text:
        raise ChainError(f"{source} no longer contains the placeholder {placeholder!r}")
    return text.replace(placeholder, value)


def fetch(url, headers=None, timeout=10):
    """(status, headers, body bytes) of a GET with the demo Site's Host; HTTP errors are returned too."""
    request = urllib.request.Request(url, headers={"Host": HOST, **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Chain:
    """The demo site behind gunicorn (production settings), nginx and varnishd, in ``workdir``."""

    def __init__(self, workdir, *, gunicorn_workers=2, nginx_workers=1, varnish_params=()):
        self.workdir = Path(workdir)
        self.varnish_params = tuple(varnish_params)  # extra ``-p name=value`` of varnishd
        self.gunicorn_workers = gunicorn_workers
        self.nginx_workers = nginx_workers
        self.nginx = find_tool("nginx", "nginx")
        self.varnishd = find_tool("varnishd", "varnish")
        self.static_root = self.workdir / "static"
        self.media_root = self.workdir / "media"
        self.gunicorn_port, self.nginx_port, self.varnish_port = free_port(), free_port(), free_port()
        self.gunicorn_url = f"http://127.0.0.1:{self.gunicorn_port}"
        self.nginx_url = f"http://127.0.0.1:{self.nginx_port}"
        self.varnish_url = f"http://127.0.0.1:{self.varnish_port}"
        self.processes = []
        self.env = self._environment()

    def _environment(self):
        env = dict(os.environ)
        env.pop("REDIS_URL", None)  # the chain's caches are its own, never a shared Redis
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DATABASE_URL=f"sqlite:///{self.workdir / 'db.sqlite3'}",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS=f"{HOST},127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_STATIC_ROOT=str(self.static_root),
            DJANGO_MEDIA_ROOT=str(self.media_root),
            DJANGO_PAGE_CACHE_GENERATION_FILE=str(self.workdir / "content-generation"),
            DJANGO_TRUSTED_PROXIES="2",
            VARNISH_URL=self.varnish_url,
            PYTHONPATH=str(ROOT),
        )
        return env

    # --- manage.py ---------------------------------------------------------------------------------

    def manage(self, *args, settings="config.settings.production", timeout=600):
        """Run ``manage.py`` with the chain's environment; a failure raises with its output."""
        env = dict(self.env, DJANGO_SETTINGS_MODULE=settings)
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise ChainError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def prepare(self):
        """The demo site in a new SQLite database, its static files collected."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--noinput", "-v0")
        # Production refuses accounts with printed passwords; the demo content is loaded like `make run` does.
        self.manage("load_demo", settings="config.settings.dev")
        self.manage("collectstatic", "--noinput", "-v0")

    # --- processes ---------------------------------------------------------------------------------

    def _spawn(self, name, command, **kwargs):
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 - kept open for the process's life
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )
        log.close()
        self.processes.append((name, process))
        return process

    def _wait(self, name, process, ready, seconds=START_SECONDS, log=None):
        deadline = time.monotonic() + seconds
        while not ready():
            if process.poll() is not None or time.monotonic() > deadline:
                exited = process.poll() is not None
                state = f"exited with {process.returncode}" if exited else f"not ready in {seconds} s"
                raise ChainError(f"{name} {state}:\n{_tail(log or self.workdir / f'{name}.log')}")
            time.sleep(0.2)

    @staticmethod
    def _port_open(port):
        def check():
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return True
            except OSError:
                return False

        return check

    def _serves(self, url):
        def check():
            try:
                return fetch(url, timeout=5)[0] == 200
            except OSError:
                return False

        return check

    def start_gunicorn(self):
        process = self._spawn("gunicorn", gunicorn_command(self.gunicorn_port, self.gunicorn_workers), env=self.env)
        self._wait("gunicorn", process, self._serves(self.gunicorn_url + "/"))

    def nginx_site(self):
        """deploy/nginx/qingshan.conf with this chain's ports and folders in place of the placeholders."""
        text = NGINX_SITE.read_text()
        for placeholder, value in (
            ("127.0.0.1:8080", f"127.0.0.1:{self.nginx_port}"),
            ("127.0.0.1:8000", f"127.0.0.1:{self.gunicorn_port}"),
            ("/srv/qingshan/staticfiles/", f"{self.static_root}/"),
            ("/srv/qingshan/media/", f"{self.media_root}/"),
        ):
            text = _substitute(text, placeholder, value, NGINX_SITE.name)
        return text

    def start_nginx(self):
        prefix = self.workdir / "nginx"
        for folder in ("logs", "temp"):
            (prefix / folder).mkdir(parents=True, exist_ok=True)
        (prefix / "qingshan.conf").write_text(self.nginx_site())
        mime_types = Path("/etc/nginx/mime.types")
        if not mime_types.exists():
            raise ChainError("/etc/nginx/mime.types is missing: apt-get install -y nginx")
        # The main configuration a distribution ships, reduced to what a foreground, unprivileged run needs.
        (prefix / "nginx.conf").write_text(
            "\n".join(
                [
                    "daemon off;",
                    f"worker_processes {self.nginx_workers};",
                    # As root, workers would switch to nobody, who cannot read a private temporary folder.
                    "user root;" if os.geteuid() == 0 else "",
                    f"pid {prefix}/nginx.pid;",
                    f"error_log {prefix}/logs/error.log warn;",
                    "events { worker_connections 1024; }",
                    "http {",
                    f"    include {mime_types};",
                    "    default_type application/octet-stream;",
                    "    sendfile on;",
                    "    tcp_nopush on;",
                    f"    access_log {prefix}/logs/access.log;",
                    *(
                        f"    {kind}_temp_path {prefix}/temp/{kind};"
                        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
                    ),
                    f"    include {prefix}/qingshan.conf;",
                    "}",
                    "",
                ]
            )
        )
        process = self._spawn(
            "nginx",
            [self.nginx, "-p", f"{prefix}/", "-c", f"{prefix}/nginx.conf", "-e", f"{prefix}/logs/error.log"],
        )
        self._wait("nginx", process, self._port_open(self.nginx_port), seconds=30, log=prefix / "logs" / "error.log")

    def start_varnish(self):
        # The VCL's backend is the placeholder port of gunicorn in the file; here it is nginx.
        vcl = self.workdir / "default.vcl"
        vcl.write_text(_substitute(VCL.read_text(), '.port = "8000";', f'.port = "{self.nginx_port}";', VCL.name))
        process = self._spawn(
            "varnishd",
            [
                self.varnishd,
                "-F",
                "-j",
                "none",
                "-n",
                str(self.workdir / "varnish"),
                "-a",
                f"127.0.0.1:{self.varnish_port}",
                "-f",
                str(vcl),
                "-s",
                "malloc,64m",
                "-p",
                "ban_lurker_sleep=0.01",
                *(item for param in self.varnish_params for item in ("-p", param)),
            ],
        )
        self._wait("varnishd", process, self._port_open(self.varnish_port), seconds=30)

    def start(self):
        try:
            self.start_gunicorn()
            self.start_nginx()
            self.start_varnish()
        except BaseException:
            self.stop()
            raise

    def stop(self):
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process in reversed(self.processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.processes = []

    def __enter__(self):
        self.prepare()
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


def image_paths(html):
    """The ``/media/`` addresses of the ``<img>`` and ``<source srcset>`` of a page, in order."""
    return re.findall(r'(?:src|srcset)="(/media/[^"\s,]+)', html)
