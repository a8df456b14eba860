"""Build the demo portal: channels, the reference article and its surroundings, demo accounts."""

import json
from datetime import datetime
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Site
from wagtail.rich_text import RichText

from articles.models import ArticlePage, ArticleRelatedPage, ChannelIndexPage
from articles.publishing import publication_without_review
from demo.images import landscape_png, placeholder_pdf
from home.models import HomePage, HomePromotedItem, SiteSettings
from newsroom.models import SensitiveWord, TypoPair
from newsroom.setup import setup_newsroom

CONTENT = Path(__file__).resolve().parents[3] / "demo" / "content.json"


class Command(BaseCommand):
    help = "Load the 生态山西 demo content and accounts. Safe to run again: existing content is kept."

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS_ALLOWED:
            raise CommandError(
                "load_demo creates accounts with published passwords and is refused under production settings."
            )
        data = json.loads(CONTENT.read_text(encoding="utf-8"))
        # Demo articles arrive as already reviewed and published: the one place the demo skips review.
        with transaction.atomic(), publication_without_review("演示内容"):
            users = self.load_accounts(data["accounts"])
            home = self.load_home(data)
            channels = self.load_channels(home, data["channels"])
            articles = self.load_articles(data["articles"], channels, users)
            self.link_articles(data, home, articles)
            self.assign_roles(data["accounts"], users, setup_newsroom(home))
            self.load_word_lists(data)
        self.print_accounts(data["accounts"])

    def load_accounts(self, accounts):
        User = get_user_model()
        users = {}
        for account in accounts:
            user, _ = User.objects.get_or_create(username=account["username"])
            user.first_name = account["first_name"]
            user.email = account["email"]
            user.is_superuser = user.is_staff = account["role"] == "管理员"
            user.set_password(account["password"])
            user.save()
            users[account["username"]] = user
        return users

    def assign_roles(self, accounts, users, groups):
        for account in accounts:
            if account["role"] in groups:
                users[account["username"]].groups.set([groups[account["role"]]])

    def load_word_lists(self, data):
        # A short harmless list so that 审校 has something to show; words the site already has are left as edited.
        for entry in data["sensitive_words"]:
            word = entry.pop("word")
            SensitiveWord.objects.get_or_create(word=word, defaults=entry)
        for entry in data["typo_pairs"]:
            wrong = entry.pop("wrong")
            TypoPair.objects.get_or_create(wrong=wrong, defaults=entry)

    def load_home(self, data):
        home = HomePage.objects.first()
        if home is None:
            raise CommandError("No home page: run `python manage.py migrate` first.")
        site = Site.objects.get(is_default_site=True)
        if site.root_page_id != home.pk:
            site.root_page = home
            site.save()
        site_settings = SiteSettings.for_site(site)
        if not site_settings.footer_text:
            for field, value in data["settings"].items():
                setattr(site_settings, field, value)
            site_settings.save()
        return home

    def load_channels(self, home, channels):
        pages = {}
        for spec in channels:
            channel = ChannelIndexPage.objects.child_of(home).filter(slug=spec["slug"]).first()
            if channel is None:
                channel = ChannelIndexPage(
                    title=spec["title"], slug=spec["slug"], intro=f"<p>{escape(spec['intro'])}</p>", show_in_menus=True
                )
                home.add_child(instance=channel)
                channel.save_revision().publish()
                self.stdout.write(f"栏目:{channel.title}")
            pages[spec["slug"]] = channel
        return pages

    def load_articles(self, specs, channels, users):
        pages = {}
        for spec in specs:
            channel = channels[spec["channel"]]
            article = ArticlePage.objects.child_of(channel).filter(slug=spec["slug"]).first()
            if article is None:
                article = self.create_article(spec, channel, users)
                self.stdout.write(f"文章:{article.title}")
            pages[spec["slug"]] = article
        return pages

    def create_article(self, spec, channel, users):
        date = timezone.make_aware(datetime.strptime(spec["date"], "%Y-%m-%d %H:%M"))
        body = [("paragraph", RichText(f"<p>{escape(text)}</p>")) for text in spec["body"]]
        if spec.get("attachment"):
            body.append(("attachment", {"document": demo_document(spec["attachment"]), "title": spec["attachment"]}))
        article = ArticlePage(
            title=spec["title"],
            slug=spec["slug"],
            date=date,
            first_published_at=date,
            source_name=spec.get("source_name", ""),
            original_title=spec.get("original_title", ""),
            original_author=spec.get("original_author", ""),
            byline=spec.get("byline", ""),
            responsible_editor=users.get(spec.get("editor")),
            body=body,
            cover_image=demo_image(spec["image"], spec["title"]) if "image" in spec else None,
            owner=users.get("reporter"),
        )
        article.tags.add(*spec.get("tags", []))
        channel.add_child(instance=article)
        # Demo articles arrive already approved by their responsible editor.
        article.save_revision(user=users.get("reporter")).publish(
            user=users.get(spec.get("editor")), skip_permission_checks=True
        )
        return article

    def link_articles(self, data, home, articles):
        reference = articles[data["lead_story"]]
        for spec in data["articles"]:
            article = articles[spec["slug"]]
            if spec.get("related") and not article.related_links.exists():
                # Related pages are saved as a published revision, as an editor's save would.
                # Orderable keeps the order in sort_order, which only the admin's form fills by itself.
                article.related_links = [
                    ArticleRelatedPage(related_page=articles[slug], sort_order=n)
                    for n, slug in enumerate(spec["related"])
                ]
                article.save_revision().publish()
        if not home.promoted_items.exists():
            home.promoted_items = [
                HomePromotedItem(article=articles[slug], sort_order=n) for n, slug in enumerate(data["promoted"])
            ]
            home.lead_story = reference
            home.save_revision().publish()

    def print_accounts(self, accounts):
        self.stdout.write(self.style.SUCCESS("演示内容已就绪。演示账号(仅供本机使用):"))
        for account in accounts:
            self.stdout.write(f"  {account['role']:<6} {account['username']:<10} 密码:{account['password']}")


def demo_image(seed, title):
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title, description=title)
        image.file = ImageFile(BytesIO(landscape_png(seed)), name=f"demo-{seed}.png")
        image.save()
    return image


def demo_document(title):
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title)
        document.file.save("huanghe-baohufa.pdf", ContentFile(placeholder_pdf()), save=False)
        document.save()
    return document
