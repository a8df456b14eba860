"""Through Varnish (deploy/varnish/default.vcl): a publish reaches readers within a second, and purges
only the pages that show what changed (xkey).

Starts varnishd on a loopback port in front of pytest-django's live server, with the site's PURGEs going
to it (the frontend-cache location). varnishd must be installed (``.ci/run`` installs
the Debian packages ``varnish`` and ``varnish-modules``): a missing varnishd fails this test, it does not skip it.
"""

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from deploy.chain import free_port
from pagecache import generation
from tests import factories

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "default.vcl"
HOST = "localhost"  # the default Site's hostname: PURGE and readers use the same Host


@pytest.fixture
def varnish(live_server, tmp_path):
    varnishd = shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")
    if varnishd is None:
        pytest.fail("varnishd is not installed: apt-get install -y varnish")
    backend_port = live_server.url.rsplit(":", 1)[1]
    vcl = tmp_path / "default.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{backend_port}";'))
    port = free_port()
    process = subprocess.Popen(
        [
            varnishd,
            "-F",
            "-j",
            "none",
            "-n",
            str(tmp_path / "work"),
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(vcl),
            "-s",
            "malloc,32m",
            "-p",
            "ban_lurker_sleep=0.01",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"varnishd did not start: {process.stderr.read().decode()}")
            time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def read(base, path):
    request = urllib.request.Request(base + path, headers={"Host": HOST})
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return response.headers.get("X-Cache"), response.read().decode(), response.headers


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_publish_refreshes_what_shows_the_article_and_leaves_the_rest_cached(varnish, settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": varnish}
    }
    generation.bump_generation()
    yaowen = factories.channel("要闻", slug="yaowen")
    kepu = factories.channel("科普", slug="kepu")
    older = factories.article(yaowen, "较早的要闻", "2022-01-01 09:00")
    article = factories.article(yaowen, "汾河湿地保护", "2022-02-01 09:00")
    unrelated = factories.article(kepu, "垃圾分类知识", "2022-01-15 09:00")

    changed = [article.url, "/", yaowen.url, older.url]  # the article, home, its channel, its neighbour
    for path in [*changed, unrelated.url]:
        read(varnish, path)
        hit, body, headers = read(varnish, path)
        assert hit == "HIT", path
        assert "xkey" not in headers, "the keys are for Varnish only"
    assert "汾河湿地保护" in read(varnish, older.url)[1]  # 下一篇

    article.title = "汾河湿地保护取得新进展"
    factories.publish_unreviewed(article)
    published = time.monotonic()

    seen = {}
    while len(seen) < len(changed) and time.monotonic() - published < 1.0:
        for path in changed:
            if path not in seen and "汾河湿地保护取得新进展" in read(varnish, path)[1]:
                seen[path] = time.monotonic() - published
        time.sleep(0.02)
    stale = set(changed) - set(seen)
    assert not stale, f"still stale after 1 s: {stale}"

    # An article that does not show the published one was not purged.
    assert read(varnish, unrelated.url)[0] == "HIT"
    # And the new pages are cached again.
    assert read(varnish, article.url)[0] == "HIT"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_changed_site_settings_reach_every_page_through_varnish(varnish, settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": varnish}
    }
    generation.bump_generation()
    channel = factories.channel("要闻", slug="yaowen")
    article = factories.article(channel, "汾河湿地保护")
    for path in (article.url, "/"):
        read(varnish, path)
        assert read(varnish, path)[0] == "HIT"

    from wagtail.models import Site

    from home.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.icp_number = "晋ICP备12345678号"
    site_settings.save()

    for path in (article.url, "/"):
        assert "晋ICP备12345678号" in read(varnish, path)[1], path


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_site_wide_change_refreshes_every_page_through_varnish(varnish, settings):
    # Closing the whole site to readers (a password on the home page) is a change no key names: Django
    # bumps everything and sends a PURGE without keys, which bans every object of the host.
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}
    settings.WAGTAILFRONTENDCACHE = {
        "varnish": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": varnish}
    }
    generation.bump_generation()
    articles = [
        factories.article(factories.channel("要闻", slug="yaowen"), "汾河湿地保护"),
        factories.article(factories.channel("科普", slug="kepu"), "垃圾分类知识"),
    ]
    for article in articles:
        read(varnish, article.url)
        hit, body, _ = read(varnish, article.url)
        assert hit == "HIT", article.url
        assert article.title in body

    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=factories.home_page(), restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    for article in articles:
        hit, body, _ = read(varnish, article.url)
        assert hit == "MISS", f"{article.url} was served from Varnish after the site was closed"
        assert article.title not in body, article.url
        assert 'type="password"' in body, article.url


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_editors_pass_through_varnish(varnish, settings):
    settings.PAGE_CACHE = {**settings.PAGE_CACHE, "ENABLED": True}
    channel = factories.channel("要闻", slug="yaowen")
    article = factories.article(channel, "编辑看到的页面")
    request = urllib.request.Request(varnish + article.url, headers={"Host": HOST, "Cookie": "sessionid=abc"})
    for _ in range(2):
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            assert response.headers.get("X-Cache") == "MISS"
