"""Fill a throw-away database with N generated Chinese articles, fast, for the reader-page benchmark.

Pages are written by bulk paths, not one ``add_child`` and one revision each: the page rows get their
tree paths computed here (treebeard's materialised path, four base-36 digits a level) and go in with
``bulk_create``; the article rows, tags and related links follow in bulk. Channels, images and users are
few and are made the normal way. 100,000 articles take a few minutes, most of it the search index.

Used by ``bench/run.py`` (``manage.py shell -c "from bench.generate import generate; generate(N)"``).
"""

import json
import random
import sys
import time
import uuid
from datetime import timedelta
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image as PILImage
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail.search.backends import get_search_backend

from articles.models import ArticlePage, ArticlePageTag, ArticleRelatedPage, ChannelIndexPage
from home.models import HomePage, HomePromotedItem
from newsroom.setup import setup_newsroom

CHANNELS = [("要闻", "yaowen"), ("科普", "kepu"), ("资讯", "zixun"), ("专题", "zhuanti")]
PLACES = [
    "太原",
    "大同",
    "朔州",
    "忻州",
    "阳泉",
    "吕梁",
    "晋中",
    "长治",
    "晋城",
    "临汾",
    "运城",
    "汾河",
    "黄河",
    "太行山",
]
TOPICS = [
    "生态环境",
    "大气污染防治",
    "水污染治理",
    "土壤修复",
    "湿地保护",
    "植树造林",
    "垃圾分类",
    "节能减排",
    "碳达峰",
    "生物多样性",
    "绿色发展",
    "河长制",
    "秸秆禁烧",
    "清洁取暖",
    "煤矿生态修复",
    "环境执法",
]
ACTIONS = [
    "取得新进展",
    "全面推进",
    "专项行动启动",
    "工作会议召开",
    "成效明显",
    "督察反馈问题整改",
    "再上新台阶",
    "典型案例发布",
    "宣传月活动举行",
    "实施方案出台",
]
SENTENCES = [
    "{place}市生态环境局召开专题会议,部署{topic}重点工作。",
    "会议强调,要坚持以习近平生态文明思想为指导,深入打好污染防治攻坚战。",
    "今年以来,{place}{topic}工作扎实推进,空气质量优良天数比例持续提升。",
    "各级各部门要压实责任,强化督导,确保各项任务按期完成。",
    "据介绍,{place}已累计完成{topic}项目{number}个,总投资{number}亿元。",
    "下一步,将以更高标准推进{topic},让绿水青山成为人民群众的幸福底色。",
    "专家表示,{topic}是一项系统工程,需要全社会共同参与。",
    "群众纷纷表示,身边的环境越来越好,蓝天白云成了常态。",
]
TAGS = [f"{place}{topic}" for place in PLACES[:8] for topic in TOPICS[:10]] + TOPICS + ["生态", "环保", "山西"]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
BATCH = 2000


class Progress:
    """A tiny progress bar on stderr: ``label [#####     ] 52% 52000/100000 12.3s``."""

    def __init__(self, label, total):
        self.label, self.total, self.done, self.start = label, max(total, 1), 0, time.monotonic()

    def advance(self, count):
        self.done += count
        filled = int(30 * self.done / self.total)
        sys.stderr.write(
            f"\r{self.label:<12} [{'#' * filled}{' ' * (30 - filled)}] {100 * self.done // self.total:3d}% "
            f"{self.done}/{self.total} {time.monotonic() - self.start:6.1f}s"
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def base36(number, width=4):
    digits = ""
    for _ in range(width):
        number, digit = divmod(number, 36)
        digits = ALPHABET[digit] + digits
    return digits


def png(colour, size=(1200, 800)):
    buffer = BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer


def paragraph_body(rng, paragraphs):
    blocks = []
    for _ in range(paragraphs):
        text = "".join(
            rng.choice(SENTENCES).format(place=rng.choice(PLACES), topic=rng.choice(TOPICS), number=rng.randint(2, 90))
            for _ in range(4)
        )
        blocks.append({"type": "paragraph", "value": f"<p>{text}</p>", "id": str(uuid.uuid4())})
    return blocks


def make_users():
    User = get_user_model()
    users = {}
    for username, first, last in [("bianji", "强", "王"), ("jizhe", "丽", "李"), ("zongbian", "军", "张")]:
        user, _ = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
        user.set_password("bench-pass-123")
        user.is_staff = True
        user.is_superuser = username == "zongbian"
        user.save()
        users[username] = user
    return users


def make_channels(home):
    channels = []
    for title, slug in CHANNELS:
        channel = ChannelIndexPage.objects.child_of(home).filter(slug=slug).first()
        if channel is None:
            channel = ChannelIndexPage(title=title, slug=slug, show_in_menus=True)
            home.add_child(instance=channel)
            channel.save_revision().publish()
            home.refresh_from_db()
        channels.append(ChannelIndexPage.objects.get(pk=channel.pk))
    return channels


def make_images(count=12):
    Image = get_image_model()
    images = []
    for number in range(count):
        image = Image(title=f"生态图片{number + 1}")
        image.file = ImageFile(png((40 + 15 * number, 120, 60)), name=f"bench-{number + 1}.png")
        image.save()
        images.append(image)
    return images


def generate(total, seed=20221109):
    rng = random.Random(seed)
    started = time.monotonic()
    home = HomePage.objects.get()
    users = make_users()
    channels = make_channels(home)
    groups = setup_newsroom(HomePage.objects.get())
    for username, role in (("bianji", "责任编辑"), ("jizhe", "记者"), ("zongbian", "总编辑")):
        users[username].groups.set([groups[role]])
    images = make_images()
    locale_id = Locale.get_default().pk
    content_type = ContentType.objects.get_for_model(ArticlePage)
    tags = [
        Tag.objects.get_or_create(name=name, defaults={"slug": f"tag-{number}"})[0] for number, name in enumerate(TAGS)
    ]
    now = timezone.now()
    editor = users["bianji"]
    owners = [users["jizhe"], editor, None, None]
    article_fields = ArticlePage._meta.local_concrete_fields

    progress = Progress("articles", total)
    next_child = {channel.pk: channel.numchild for channel in channels}
    created = 0
    while created < total:
        batch = min(BATCH, total - created)
        pages, extras = [], []
        for offset in range(batch):
            number = created + offset
            # 要闻 carries over half the archive, so its deep pages (50, 500) exist.
            channel = channels[0] if number % 20 < 11 else channels[1 + number % 3]
            next_child[channel.pk] += 1
            slug = f"a{number + 1}"
            title = f"{rng.choice(PLACES)}{rng.choice(TOPICS)}{rng.choice(ACTIONS)}"
            when = now - timedelta(minutes=7 * (total - number))
            pages.append(
                Page(
                    path=channel.path + base36(next_child[channel.pk]),
                    depth=channel.depth + 1,
                    numchild=0,
                    translation_key=uuid.uuid4(),
                    locale_id=locale_id,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=when,
                    last_published_at=when,
                    latest_revision_created_at=when,
                    title=title,
                    draft_title=title,
                    slug=slug,
                    content_type=content_type,
                    url_path=f"{channel.url_path}{slug}/",
                    owner=owners[number % len(owners)],
                    show_in_menus=False,
                )
            )
            extras.append(
                {
                    "subtitle": "",
                    "date": when,
                    "source_name": rng.choice(["", "", "人民日报", "山西日报", "中国环境报"]),
                    "source_url": "",
                    "original_author": "",
                    "byline": rng.choice(["王强", "李丽", "张军", ""]),
                    "responsible_editor_id": editor.pk,
                    "editor_name": "",
                    "summary": "",
                    "cover_image_id": rng.choice(images).pk if number % 3 == 0 else None,
                    "cover_alt": "",
                    "body": json.dumps(paragraph_body(rng, rng.randint(3, 5)), ensure_ascii=False),
                    "legacy_id": "",
                    "channel_id": channel.pk,
                }
            )
        with transaction.atomic():
            Page.objects.bulk_create(pages, batch_size=500)
            if pages[0].pk is None:  # backends that do not return ids (none of ours): read them back
                by_path = dict(Page.objects.filter(path__in=[p.path for p in pages]).values_list("path", "id"))
                for page in pages:
                    page.pk = page.id = by_path[page.path]
            rows = []
            for page, extra in zip(pages, extras, strict=True):
                values = {"page_ptr_id": page.pk, **extra}
                # Fields the generator does not fill (added since) get their defaults, as a form would give them.
                rows.append(
                    [
                        field.get_db_prep_save(values.get(field.attname, field.get_default()), connection)
                        for field in article_fields
                    ]
                )
            table = ArticlePage._meta.db_table
            columns = ", ".join(connection.ops.quote_name(field.column) for field in article_fields)
            marks = ", ".join(["%s"] * len(article_fields))
            with connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
            ArticlePageTag.objects.bulk_create(
                [
                    ArticlePageTag(content_object_id=page.pk, tag=tag)
                    for page in pages
                    for tag in rng.sample(tags, rng.randint(2, 4))
                ],
                batch_size=2000,
            )
        created += batch
        progress.advance(batch)

    for channel in channels:
        Page.objects.filter(pk=channel.pk).update(numchild=next_child[channel.pk])

    # The benchmark's article: ten editor-chosen related articles, and the home page's promoted items.
    target = ArticlePage.objects.child_of(channels[0]).order_by("-date", "-pk")[5]
    others = list(ArticlePage.objects.exclude(pk=target.pk).order_by("-date", "-pk").values_list("pk", flat=True)[:60])
    ArticleRelatedPage.objects.bulk_create(
        [
            ArticleRelatedPage(page=target, related_page_id=pk, sort_order=order)
            for order, pk in enumerate(others[10:20])
        ]
    )
    with_cover = ArticlePage.objects.filter(cover_image__isnull=False).order_by("-date", "-pk")[:4]
    HomePromotedItem.objects.bulk_create(
        [HomePromotedItem(page=home, article=article, sort_order=order) for order, article in enumerate(with_cover)]
    )
    print(f"generated {total} articles in {time.monotonic() - started:.1f}s", file=sys.stderr)
    build_search_index()
    if connection.vendor == "postgresql":
        # Planner statistics for the bulk-loaded tables now, not whenever autovacuum gets to them mid-run.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"done in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return target


def build_search_index():
    """Index every page with the configured backend's bulk path (segmenting Chinese), in batches."""
    backend = get_search_backend()
    ids = list(ArticlePage.objects.values_list("pk", flat=True))
    progress = Progress("search index", len(ids))
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        with transaction.atomic():
            backend.add_bulk(ArticlePage, list(ArticlePage.objects.filter(pk__in=chunk).prefetch_related("tags")))
        progress.advance(len(chunk))
    for model in (HomePage, ChannelIndexPage):
        backend.add_bulk(model, list(model.objects.all()))
