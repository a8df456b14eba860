"""Property-based fuzzing (hypothesis) of every public URL parameter: whatever a reader sends, never a 500.

The test client re-raises a view's exception, so a crash fails the example even before the status check.
Examples are derandomized (the same inputs on every run) and few enough to finish in seconds.
"""

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests import factories

FUZZ = settings(
    derandomize=True,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Any text a browser can send: every Unicode category except lone surrogates, which cannot be UTF-8 encoded.
text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
tricky = st.sampled_from(
    [
        "",
        "0",
        "-1",
        "1.5",
        "1e9",
        "99999999999999999999999999",
        "NaN",
        "last",
        "%00",
        "\x00",
        "' OR 1=1 --",
        '"; DROP TABLE wagtailcore_page; --',
        "<script>alert(1)</script>",
        "*",
        "AND OR NOT",
        '"',
        "\\",
        "生态 OR",
        "🌲" * 50,
        "a" * 5000,
    ]
)
value = st.one_of(text, tricky, st.integers().map(str))
values = st.one_of(value, st.lists(value, min_size=2, max_size=3))  # a parameter given more than once


class PublicUrlFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.kepu = factories.channel("科普", slug="kepu")
        for number in range(25):  # two pages of results and of the channel
            factories.article(cls.kepu, f"生态修复第{number}篇", f"2022-01-{number + 1:02d}", tags=["生态"])
        cls.urls_checked = 0

    def get(self, path, params=None):
        response = self.client.get(path, params or {})
        self.assertLess(response.status_code, 500, f"{path} {params!r}")
        type(self).urls_checked += 1
        return response

    @FUZZ
    @given(q=values, page=values, channel=st.one_of(values, st.just("kepu")), sort=st.one_of(values, st.just("date")))
    def test_search_parameters(self, q, page, channel, sort):
        response = self.get("/search/", {"q": q, "page": page, "channel": channel, "sort": sort})
        self.assertEqual(response.status_code, 200)

    @FUZZ
    @given(q=st.sampled_from(["生态", "修复", "生态修复"]), page=values)
    def test_search_page_number_with_results(self, q, page):
        self.assertEqual(self.get("/search/", {"q": q, "page": page}).status_code, 200)

    @FUZZ
    @given(page=values, extra=st.dictionaries(st.text(min_size=1, max_size=20), value, max_size=3))
    def test_channel_and_home_pages(self, page, extra):
        self.assertEqual(self.get("/kepu/", {**extra, "page": page}).status_code, 200)
        self.assertEqual(self.get("/", {**extra, "page": page}).status_code, 200)

    @FUZZ
    @given(params=st.dictionaries(st.text(min_size=1, max_size=20), values, max_size=4))
    def test_feeds_and_sitemap(self, params):
        for path in ("/rss/", "/kepu/feed/", "/sitemap.xml"):
            self.assertEqual(self.get(path, params).status_code, 200)

    @FUZZ
    @given(segments=st.lists(text, min_size=1, max_size=4), slash=st.booleans())
    def test_unknown_paths(self, segments, slash):
        tail = "/".join(quote(segment, safe="") for segment in segments) + ("/" if slash else "")
        for prefix in ("/", "/kepu/", "/kepu/feed/", "/search/", "/documents/1/"):
            self.get(prefix + tail)

    @FUZZ
    @given(document_id=st.integers(min_value=-(2**70), max_value=2**70), name=text)
    def test_document_urls(self, document_id, name):
        self.get(f"/documents/{document_id}/{quote(name, safe='')}")
        self.get(f"/documents/{abs(document_id)}/{quote(name, safe='')}")

    @classmethod
    def tearDownClass(cls):
        print(f"\nfuzzing: {cls.urls_checked} public requests, none answered 500")  # noqa: T201
        super().tearDownClass()
