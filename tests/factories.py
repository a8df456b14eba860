"""Small builders for test data.

Pages are made the way an editor makes them: added to the tree, then saved as a revision and published.
Each builder takes only what a test cares about and fills in the rest. Published articles are test data that
skip review explicitly (``publish_unreviewed``); tests of the review itself go through the workflow.
"""

import itertools
import json
import uuid
from datetime import datetime
from io import BytesIO

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from django.utils.html import escape
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from articles.models import ArticlePage, ArticleRelatedPage, ChannelIndexPage
from articles.publishing import publication_without_review
from home.models import HomePage, HomePromotedItem

_numbers = itertools.count(1)


def when(value):
    """An aware datetime from "2021-11-10" or "2021-11-10 09:30" (Asia/Shanghai), or the value itself."""
    if not isinstance(value, str):
        return value
    fmt = "%Y-%m-%d %H:%M" if " " in value else "%Y-%m-%d"
    return timezone.make_aware(datetime.strptime(value, fmt))


def home_page():
    """The site's home page, created by the migrations."""
    return HomePage.objects.get()


def user(username=None, first_name="", last_name="", **fields):
    username = username or f"user{next(_numbers)}"
    return get_user_model().objects.create_user(
        username=username, password="test-pass-123", first_name=first_name, last_name=last_name, **fields
    )


def image(title="测试图片", size=(64, 40), colour=(46, 125, 50)):
    buffer = BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    picture = get_image_model()(title=title)
    # A name no earlier test used: rolled-back tests leave their files (and renditions) on disk, and a
    # clash would make storage rename this one.
    picture.file = ImageFile(buffer, name=f"test-{uuid.uuid4().hex[:12]}.png")
    picture.save()
    return picture


def document(title="附件", name="attachment.pdf"):
    doc = get_document_model()(title=title)
    doc.file.save(name, ContentFile(b"%PDF-1.4\n%test\n"), save=False)
    doc.save()
    return doc


def paragraphs(*texts):
    """A body of plain paragraphs, as raw StreamField JSON."""
    return body(*({"type": "paragraph", "value": f"<p>{escape(text)}</p>"} for text in texts))


def body(*blocks):
    """Raw StreamField JSON from block dicts ``{"type": ..., "value": ...}``."""
    return json.dumps(list(blocks), ensure_ascii=False)


def publish_unreviewed(page, parent=None):
    """Save and publish ``page`` (first added under ``parent``, if given) as test data, without review.

    Articles otherwise go live only through their channel's review (newsroom/review_gate.py).
    """
    with publication_without_review("测试数据"):
        if parent is not None:
            parent.add_child(instance=page)
        page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def channel(title="要闻", slug=None, parent=None, intro="", show_in_menus=True):
    page = ChannelIndexPage(
        title=title, slug=slug or f"channel-{next(_numbers)}", intro=intro, show_in_menus=show_in_menus
    )
    (parent or home_page()).add_child(instance=page)
    return publish_unreviewed(page)


def article(parent, title=None, date="2022-01-01 09:00", *, publish=True, tags=(), related=(), **fields):
    """An article in channel ``parent``; ``publish=False`` leaves it a draft that was never published."""
    number = next(_numbers)
    fields.setdefault("body", paragraphs(f"第{number}篇测试文章的正文。"))
    page = ArticlePage(title=title or f"测试文章{number}", slug=fields.pop("slug", f"article-{number}"), **fields)
    page.date = when(date)
    if tags:
        page.tags.add(*tags)
    if related:
        page.related_links = [ArticleRelatedPage(related_page=item, sort_order=n) for n, item in enumerate(related)]
    if not publish:
        page.live = False
        parent.add_child(instance=page)
        page.save_revision()
        return ArticlePage.objects.get(pk=page.pk)
    return publish_unreviewed(page, parent)


def unpublished_article(parent, **kwargs):
    """An article that was published once and then taken down."""
    page = article(parent, **kwargs)
    page.unpublish()
    return ArticlePage.objects.get(pk=page.pk)


def private_article(parent, **kwargs):
    """A live article behind a password, which the public never sees."""
    page = article(parent, **kwargs)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret")
    return page


def promote(home, *articles):
    """Set the home page's editor-chosen promoted items (推荐位), in order."""
    home.promoted_items = [HomePromotedItem(article=item, sort_order=n) for n, item in enumerate(articles)]
    home.save_revision().publish()
    return HomePage.objects.get(pk=home.pk)
