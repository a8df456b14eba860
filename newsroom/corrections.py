"""更正: a responsible editor or chief editor corrects a live article with a 更正说明.

The note is a child of the article (articles.ArticleCorrection), added by the editor's form to the revision
that carries the corrected text, so it goes through the channel's review like any change and reaches readers
only with the approval. When that revision goes live the note gets its date, and the page history an entry
with the note. Published notes are never dropped by a later revision (a revert to the text before them, say).
"""

from django import forms
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.log_actions import log

from articles.models import ArticleCorrection, ArticlePage

from .forms import ArticlePageForm
from .page_permissions import is_editor

CORRECTION_ACTION = "newsroom.correction_published"
NOTE_FIELD = "correction_note"


def may_correct(user):
    """Responsible editors, chief editors and administrators start a 更正; reporters do not."""
    return user is not None and is_editor(user)


class CorrectionForm(ArticlePageForm):
    """The article editor with a 更正说明 box on a live article, for those who may correct it.

    The box holds this draft's one pending note (not yet published): every save of the draft (an autosave, 保存草稿,
    提交) writes the box into that note, and emptying the box drops it, so a note is never added twice."""

    correction_note = forms.CharField(
        label="更正说明",
        required=False,
        widget=forms.Textarea({"rows": 3}),
        help_text="更正已发布的稿件时填写:原文哪里有误、正确的是什么。审核通过后连同日期显示在文章顶部和“更正”列表中。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not (self.instance.pk and self.instance.live and may_correct(self.for_user)):
            del self.fields[NOTE_FIELD]
            return
        pending = pending_note(self.instance)
        if pending is not None:
            self.initial.setdefault(NOTE_FIELD, pending.note)

    def save(self, commit=True):
        page = super().save(commit=False)
        if NOTE_FIELD in self.fields:
            note = self.cleaned_data.get(NOTE_FIELD, "").strip()
            pending = pending_note(page)
            published = [item for item in page.corrections.all() if item is not pending]
            if note and pending is not None:
                pending.note = note
            elif note:
                pending = ArticleCorrection(note=note)
            page.corrections = [pending, *published] if note else published
        if commit:
            page.save()
        return page


def pending_note(page):
    """The article draft's 更正说明 that has not gone live yet, or None. A revision keeps the notes as they were
    when it was saved, undated, so the live rows say which of them went live since."""
    live = ArticleCorrection.objects.filter(page_id=page.pk).exclude(published_at=None)
    live = set(live.values_list("key", flat=True))
    return next((item for item in page.corrections.all() if item.published_at is None and item.key not in live), None)


class CorrectionNotePanel(FieldPanel):
    """The 更正说明 box, shown only to those whose form has it (a live article, an editor or chief editor)."""

    def __init__(self, field_name=NOTE_FIELD, **kwargs):
        super().__init__(field_name, **kwargs)


def with_correction_panel(panels):
    """The article's content panels with the 更正说明 box after the title."""
    return [*panels[:1], CorrectionNotePanel(), *panels[1:]]


def date_corrections(sender, instance, raw=False, update_fields=None, **kwargs):
    """``pre_save`` of articles: a note keeps the date it first went live; a new one gets the publication's.

    The notes come from the revision being published, which holds them undated; their rows are rewritten
    after the page row is saved, so the dates are read from the rows now.
    """
    pending = getattr(instance, "_cluster_related_objects", {}).get("corrections")
    if raw or update_fields is not None or pending is None or instance.pk is None:
        return
    stored = {item.key: item for item in ArticleCorrection.objects.filter(page_id=instance.pk)}
    going_live = []
    for item in pending:
        if item.key in stored and stored[item.key].published_at is not None:
            # The row's date is the one readers saw; a revision may hold it rounded, or not at all.
            item.published_at = stored[item.key].published_at
        if item.published_at is None and instance.live:
            item.published_at = instance.last_published_at or timezone.now()
            going_live.append(item.note)
    kept = {item.key for item in pending}
    dropped = [item for key, item in stored.items() if key not in kept and item.published_at is not None]
    if dropped:
        for item in dropped:
            item.pk = None  # saved again with the revision's notes
        instance.corrections = [*pending, *dropped]
    instance._corrections_going_live = going_live


def log_corrections(sender, instance, created=False, raw=False, **kwargs):
    """``post_save`` of articles: each note that went live leaves an entry in the page history."""
    notes = instance.__dict__.pop("_corrections_going_live", None)
    for note in notes or ():
        log(instance=instance, action=CORRECTION_ACTION, data={"note": note}, revision=instance.live_revision)


def connect():
    pre_save.connect(date_corrections, sender=ArticlePage, dispatch_uid="qingshan-correction-dates")
    post_save.connect(log_corrections, sender=ArticlePage, dispatch_uid="qingshan-correction-log")
