"""设置 → 用户: accounts named the way the newsroom names people.

Wagtail's user forms require a given name and a family name. Chinese names are kept whole in 名 (陈华) or split
(姓 陈, 名 华; articles.text.person_name writes 陈华 either way), so the family name is optional here.
"""

from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet

NAME_LABEL = "姓名(或名)"
FAMILY_NAME_LABEL = "姓(选填)"
FAMILY_NAME_HELP = "姓名可以整个填在上一栏;分开填写时,显示为姓在前、名在后。"


class NameFields:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].label = NAME_LABEL
        family = self.fields["last_name"]
        family.label, family.required, family.help_text = FAMILY_NAME_LABEL, False, FAMILY_NAME_HELP


class NewsroomUserCreationForm(NameFields, UserCreationForm):
    pass


class NewsroomUserEditForm(NameFields, UserEditForm):
    pass


class NewsroomUserViewSet(UserViewSet):
    def get_form_class(self, for_update=False):
        return NewsroomUserEditForm if for_update else NewsroomUserCreationForm
