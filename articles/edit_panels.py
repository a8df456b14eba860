"""Panels of the article editor beyond Wagtail's own: the live 字数 line and names kept from an imported archive."""

from wagtail.admin.panels import FieldPanel, Panel
from wagtail.coreutils import get_js_regex

from .wordcount import COUNTED, RULE, WORD_PATTERN, article_word_count


class WordCountPanel(Panel):
    """A live 字数 line in the article editor, recounted in the browser as the reporter types."""

    def __init__(self, heading="字数", **kwargs):
        super().__init__(heading=heading, **kwargs)

    @property
    def clean_name(self):
        return "word_count"

    class BoundPanel(Panel.BoundPanel):
        template_name = "articles/admin/word_count_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            pattern, flags = get_js_regex(WORD_PATTERN)
            context.update(
                count=article_word_count(self.instance),
                pattern=pattern,
                flags=flags,
                rule=RULE,
                counted=COUNTED,
            )
            return context

        class Media:
            js = ["articles/word_count.js"]


class ImportedValuePanel(FieldPanel):
    """A field shown read-only, and only when it holds something, to those whose form leaves it out.

    For a value carried over from an imported archive: people who may correct it edit it where it is
    edited (the field is in their form, and this panel stays hidden); everyone else sees it here.
    """

    def __init__(self, field_name, **kwargs):
        kwargs["read_only"] = True
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self):
            return self.bound_field is None and bool(self.value_from_instance) and super().is_shown()
