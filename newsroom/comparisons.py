"""查看改动 and the 发稿单 name people as the newsroom writes names (陈华), not by their usernames."""

from django.contrib.auth import get_user_model
from django.db import models
from wagtail.admin.compare import ForeignObjectComparison, register_comparison_class

from articles.text import person_name


class PersonComparison(ForeignObjectComparison):
    """A field naming a person (责任编辑): compared and shown by the person's name."""

    def get_objects(self):
        return tuple(person_name(user) if user else None for user in super().get_objects())


def register():
    register_comparison_class(models.ForeignKey, to=get_user_model(), comparison_class=PersonComparison)
