"""The production chain, for real: readers → varnishd → nginx (deploy/nginx/qingshan.conf) → gunicorn.

One chain for the module (deploy/chain.py): the demo site in a throw-away SQLite database, gunicorn with
production settings (so Django serves no ``/media/``), nginx with the deploy configuration serving
``/static/`` and ``/media/`` itself, and varnishd with deploy/varnish/default.vcl in front of nginx, all
on free loopback ports. nginx and varnishd must be installed (``.ci/run`` installs the Debian packages
``nginx`` and ``varnish``): missing, these tests fail, they do not skip.
"""

import re
import subprocess
import sys
import time
from urllib.parse import unquote

import pytest

from deploy.chain import ROOT, Chain, ChainError, fetch, image_paths

ARTICLE = "/yaowen/shouhu-lvshui-qingshan-dangjian-lianmeng/"  # the home page's lead story, with a cover image
TITLE = "“守护绿水青山”党建联盟正式成立"
NEW_TITLE = "“守护绿水青山”党建联盟首批项目开工"
WITH_ATTACHMENT = "/yaowen/huanghe-baohufa/"
DEADLINE = 30  # seconds for a publish to reach readers on a loaded machine; Varnish is purged at once


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    try:
        chain = Chain(tmp_path_factory.mktemp("chain"))
        chain.prepare()
        chain.start()
    except ChainError as error:
        pytest.fail(str(error))
    yield chain
    chain.stop()


def text(response):
    return response[2].decode()


def test_readers_get_an_article_and_its_cover_image_from_varnish(chain):
    first = fetch(chain.varnish_url + ARTICLE)
    assert first[0] == 200
    assert TITLE in text(first)
    again = fetch(chain.varnish_url + ARTICLE)
    assert again[1]["X-Cache"] == "HIT"

    images = image_paths(text(first))
    assert images, "the article shows no image from /media/"
    image = images[0]
    for expected_cache in ("MISS", "HIT"):
        status, headers, body = fetch(chain.varnish_url + image)
        assert status == 200, image
        assert headers["Content-Type"].startswith("image/")
        assert headers["X-Cache"] == expected_cache
        assert body == (chain.media_root / unquote(image.removeprefix("/media/"))).read_bytes()
    # Served by nginx from MEDIA_ROOT: gunicorn under production settings has no /media/.
    assert fetch(chain.gunicorn_url + image)[0] == 404


def test_hashed_static_files_are_kept_for_a_year(chain):
    page = text(fetch(chain.varnish_url + ARTICLE))
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page).group(1)
    status, headers, body = fetch(chain.varnish_url + stylesheet)
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "max-age=31536000" in headers["Cache-Control"]
    assert body == (chain.static_root / stylesheet.removeprefix("/static/")).read_bytes()


def test_attachments_download_through_django_not_from_the_media_folder(chain):
    page = text(fetch(chain.varnish_url + WITH_ATTACHMENT))
    link = re.search(r'<a href="(/documents/[^"]+)" download>', page).group(1)
    status, _headers, body = fetch(chain.varnish_url + link)
    assert status == 200
    assert body.startswith(b"%PDF")
    # The same file by its path under MEDIA_ROOT would skip Django's check of a private document.
    stored = next((chain.media_root / "documents").iterdir()).name
    assert fetch(chain.varnish_url + f"/media/documents/{stored}")[0] == 404


def test_each_gunicorn_worker_reads_the_home_page_before_its_first_reader(chain):
    """config/gunicorn.py's warm-up: each worker serves / to itself once (no request reaches nginx for it)."""
    log = chain.workdir / "gunicorn.log"
    deadline = time.monotonic() + DEADLINE
    while log.read_text().count("warm-up: GET / answered 200") < chain.gunicorn_workers:
        assert time.monotonic() < deadline, log.read_text()[-2000:]
        time.sleep(0.2)
    assert "warm-up failed" not in log.read_text()


def test_a_published_title_reaches_readers_through_the_chain(chain):
    for path in (ARTICLE, "/"):
        fetch(chain.varnish_url + path)
        cached = fetch(chain.varnish_url + path)
        assert cached[1]["X-Cache"] == "HIT", path
        assert TITLE in text(cached)

    # The trusted path that publishes without review (tests/factories.py), in a process of its own as a
    # deploy's command would be: its publish purges Varnish (VARNISH_URL) after the commit.
    publish = (
        "from articles.models import ArticlePage\n"
        "from tests.factories import publish_unreviewed\n"
        f"page = ArticlePage.objects.get(url_path__endswith={ARTICLE!r})\n"
        f"page.title = {NEW_TITLE!r}\n"
        "publish_unreviewed(page)\n"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", publish], cwd=ROOT, env=chain.env, check=True, timeout=300
    )

    deadline = time.monotonic() + DEADLINE
    stale = {ARTICLE, "/"}
    while stale and time.monotonic() < deadline:
        stale = {path for path in stale if NEW_TITLE not in text(fetch(chain.varnish_url + path))}
        if stale:
            time.sleep(0.2)
    assert not stale, f"still the old title through Varnish after {DEADLINE} s: {sorted(stale)}"
    assert fetch(chain.varnish_url + ARTICLE)[1]["X-Cache"] == "HIT"
