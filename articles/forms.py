from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminPageForm

from .roles import CHIEF_EDITORS, EDITORS
from .text import person_name

EDITOR_GROUPS = (EDITORS, CHIEF_EDITORS)
SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")


def eligible_editors(also=None):
    """Active people who may be named responsible editor (责任编辑), plus the user with pk `also` if given."""
    condition = Q(is_active=True, groups__name__in=EDITOR_GROUPS)
    if also:
        condition |= Q(pk=also)
    users = get_user_model().objects
    return users.filter(pk__in=users.filter(condition).values("pk")).order_by("first_name", "username")


class EditorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = person_name(user)
        return name if name == user.get_username() else f"{name}({user.get_username()})"


class ArticlePageForm(WagtailAdminPageForm):
    """The article editor: a responsible editor is needed to submit, and it cannot be the submitter."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("responsible_editor")
        if field is not None:
            # A past choice stays valid even if that person has since changed role.
            queryset = eligible_editors(also=self.instance.responsible_editor_id)
            self.fields["responsible_editor"] = EditorChoiceField(
                queryset=queryset,
                required=False,
                label=field.label,
                help_text="提交审核时必填:稿件将交给此人审核,审核通过后其姓名显示为“责任编辑”。",
            )

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


class ReviewCommentForm(forms.Form):
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea({"rows": 3}))


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
