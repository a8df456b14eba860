"""置顶: a chief editor pins a live article to the top of its channel page, and optionally of its channel's
list on the home page, in an order and until an optional expiry (到期时间).

The lists read the pins from a copy of this small table kept per process until a pin changes (``pins``) or
a pinned article's channel list does, and leave out expired pins by the clock: an expiry needs no job.
Whatever shows a pin records the key of its expiry (``until-<time>``, pagecache.keys.until), so a cached
page or fragment that shows it is not served after that moment, and the edge keeps it no longer either.
"""

from collections import namedtuple

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from pagecache import keys as cache_keys
from pagecache.generation import per_generation
from pagecache.signals import invalidate

__all__ = ["ArticlePin", "PinRow", "active_pins", "pin_of", "shown_until"]

# The key a change to any pin bumps: only the per-process table records it, no page does.
PINS_KEY = "pins"


class ArticlePin(models.Model):
    """One pinned article: first on its channel's first page (and in its channel's home list if chosen)."""

    article = models.OneToOneField(
        "articles.ArticlePage",
        verbose_name="文章",
        on_delete=models.CASCADE,
        related_name="pin",
        error_messages={"unique": "这篇文章已经置顶,请修改原有的置顶。"},
    )
    show_on_home = models.BooleanField("同时置顶到首页", default=False, help_text="在首页该栏目的列表中也排在最前。")
    sort_order = models.PositiveSmallIntegerField(
        "顺序", default=0, help_text="数字小的排在前面;顺序相同时,后置顶的在前。"
    )
    expires_at = models.DateTimeField(
        "到期时间", null=True, blank=True, help_text="到期后自动取消置顶;留空则一直置顶,直到删除。"
    )
    pinned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="置顶人",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("置顶时间", auto_now_add=True)

    class Meta:
        verbose_name = "置顶"
        verbose_name_plural = "置顶"
        ordering = ["sort_order", "-created_at", "-pk"]

    def __str__(self):
        return str(self.article)

    @classmethod
    def from_db(cls, db, field_names, values):
        pin = super().from_db(db, field_names, values)
        # Where the pin showed before an edit, so that the lists it leaves are refreshed too.
        pin._shown_before = (pin.__dict__.get("article_id"), pin.__dict__.get("show_on_home"))
        return pin

    @property
    def is_active(self):
        return self.expires_at is None or self.expires_at > timezone.now()

    def changed_cache_keys(self):
        """The keys a save or delete of this pin makes stale: the list of the channel it shows in (before
        and after an edit), the home page's lists when it shows there, and the per-process table."""
        from .models import ArticlePage

        shown = {(self.article_id, self.show_on_home), getattr(self, "_shown_before", (None, False))}
        articles = {article_id for article_id, _ in shown if article_id is not None}
        channels = ArticlePage.objects.filter(pk__in=articles).values_list("channel_id", flat=True)
        changed = {PINS_KEY, *(f"list-{channel}" for channel in channels if channel is not None)}
        if any(on_home for _, on_home in shown):
            changed.add("home")
        return changed


@receiver(post_save, sender=ArticlePin, dispatch_uid="articles-pin-saved")
@receiver(post_delete, sender=ArticlePin, dispatch_uid="articles-pin-deleted")
def _pin_changed(sender, instance, **kwargs):
    invalidate(instance.changed_cache_keys())
    instance._shown_before = (instance.article_id, instance.show_on_home)


PinRow = namedtuple("PinRow", "article_id channel_id show_on_home sort_order expires_at")


def _pin_rows():
    now = timezone.now()
    pins = ArticlePin.objects.filter(models.Q(expires_at=None) | models.Q(expires_at__gt=now))
    fields = ("article_id", "article__channel_id", "show_on_home", "sort_order", "expires_at")
    return [PinRow(*row) for row in pins.order_by("sort_order", "-created_at", "-pk").values_list(*fields)]


def active_pins():
    """The pins in force now, in pin order (per process: no query while the table and their channels hold).

    Kept until a pin changes or the list of a pinned article's channel does (a move, a withdrawal), so
    each pin's channel is the article's channel now."""
    pins = per_generation(
        "pins", _pin_rows, keys=[PINS_KEY], keys_of=lambda rows: {f"list-{row.channel_id}" for row in rows}
    )
    now = timezone.now()
    return [pin for pin in pins if pin.expires_at is None or pin.expires_at > now]


def pin_of(article_id):
    """The pin in force for an article, or None."""
    return next((pin for pin in active_pins() if pin.article_id == article_id), None)


def shown_until(request, article):
    """Record that ``request`` shows ``article`` as pinned: what shows it is stale once its pin expires."""
    pin = pin_of(article.pk)
    if pin is not None and pin.expires_at is not None:
        cache_keys.add(request, cache_keys.until(pin.expires_at))
