from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminPageForm

from articles.text import person_name

from . import proofreading
from .roles import EDITORS
from .slugs import has_han, pinyin_slug, unique_slug

SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")
SLUG_HELP = "稿件在网址中的名称。留空或含汉字时,保存时按标题(或所填汉字)生成拼音,如 fenhe-shidi-baohu。"


def eligible_editors(also=None):
    """Active members of the 责任编辑 group, who may be named responsible editor, plus the user with pk `also`.

    Chief editors review in their own stage (总编辑终审), so they are not offered as 责任编辑.
    """
    condition = Q(is_active=True, groups__name=EDITORS)
    if also:
        condition |= Q(pk=also)
    users = get_user_model().objects
    return users.filter(pk__in=users.filter(condition).values("pk")).order_by("first_name", "username")


def has_name(user):
    return user is not None and bool(user.first_name.strip() or user.last_name.strip())


class EditorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = person_name(user)
        return name if name == user.get_username() else f"{name}({user.get_username()})"


class ArticlePageForm(WagtailAdminPageForm):
    """The article editor: a responsible editor is needed to submit, and it cannot be the submitter.

    A new article is signed (记者) with the writer's name, and gets a pinyin address from its title.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        new = self.instance.pk is None
        field = self.fields.get("responsible_editor")
        if field is not None:
            # A past choice stays valid even if that person has since changed role.
            current = self.instance.responsible_editor_id
            field = self.fields["responsible_editor"] = EditorChoiceField(
                queryset=eligible_editors(also=current),
                required=False,
                label=field.label,
                help_text="提交审核时必填:稿件将交给此人审核,审核通过后其姓名显示为“责任编辑”。",
            )
            if user is not None and user.pk != current:
                # An editor writing their own piece cannot review it, so is not offered; naming them
                # anyway still gets clean()'s explanation rather than "not one of the choices".
                offered = EditorChoiceField(queryset=field.queryset.exclude(pk=user.pk), required=False)
                field.widget.choices = offered.choices
        if "editor_name" in self.fields and not self.may_publish():
            # The name kept from an imported archive is the chief editors' to correct; for everyone else
            # the settings tab shows it read-only, and a post cannot change it.
            del self.fields["editor_name"]
        if new and not self.is_bound and not self.initial.get("byline") and has_name(user):
            self.initial["byline"] = person_name(user)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = SLUG_HELP

    def may_publish(self):
        """Whether the user may publish here: chief editors and administrators."""
        if self.for_user is None:
            return False
        if self.instance.pk:
            return self.instance.permissions_for_user(self.for_user).can_publish()
        parent = self.parent_page
        return parent is not None and parent.permissions_for_user(self.for_user).can_publish_subpage()

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        # Wagtail's script fills the address from the title as typed, which for a Chinese headline is
        # Chinese, shown percent-encoded in every shared link: such a slug becomes pinyin. A slug the
        # article already had (an imported article's, say) is left as it is, so its address holds.
        if slug and not has_han(slug):
            return slug
        if slug and self.instance.pk and slug == self.instance.slug:
            return slug
        readable = pinyin_slug(slug or self.data.get("title", ""))
        if not readable:
            return slug
        page = self.instance if self.instance.pk else None
        return unique_slug(readable, self.parent_page, page)

    def clean(self):
        cleaned_data = super().clean()
        submitting = any(self.data.get(action) for action in SUBMIT_ACTIONS)
        publishing = bool(self.data.get("action-publish"))
        editor = cleaned_data.get("responsible_editor")
        if (submitting or publishing) and editor is None and "responsible_editor" not in self.errors:
            self.add_error("responsible_editor", "提交审核或发布前,请选择责任编辑。")
        elif submitting and editor is not None and self.for_user is not None and editor.pk == self.for_user.pk:
            self.add_error("responsible_editor", "不能担任自己所提交稿件的责任编辑,请选择其他编辑。")
        return cleaned_data

    def _post_clean(self):
        # The content checks read the article as submitted: the instance once the form's data is in it.
        super()._post_clean()
        if any(self.data.get(action) for action in SUBMIT_ACTIONS) and not self._errors:
            refusal = proofreading.submit_refusal(self.instance)
            if refusal:
                self.add_error(None, refusal)


class ReviewCommentForm(forms.Form):
    """The approval dialog: an optional comment; 已核对 when the checks gave warnings; refused on a block."""

    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea({"rows": 3}))

    def __init__(self, *args, findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.findings = list(findings)
        if proofreading.warnings(self.findings) and not proofreading.blocking(self.findings):
            self.fields["acknowledged"] = forms.BooleanField(
                label="已核对",
                help_text="我已逐条核对上面的审校提示。",
                widget=forms.CheckboxInput({"aria-describedby": "id_acknowledged-helptext"}),
                error_messages={"required": "请逐条核对审校提示后勾选“已核对”。"},
            )

    def clean(self):
        if proofreading.blocking(self.findings):
            raise forms.ValidationError("稿件有拦截级问题,不能审核通过,请退回修改。")
        return super().clean()


class ReviewRejectForm(forms.Form):
    comment = forms.CharField(
        label="退回意见",
        required=True,
        widget=forms.Textarea({"rows": 3}),
        help_text="请写明需要修改的地方,记者会在邮件和工作台中看到。",
        error_messages={"required": "退回修改时必须填写意见。"},
    )


class ReassignReviewForm(forms.Form):
    reviewer = EditorChoiceField(queryset=get_user_model().objects.none(), label="新的审核人")

    def __init__(self, *args, workflow_state, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = eligible_editors().exclude(pk=workflow_state.requested_by_id)
