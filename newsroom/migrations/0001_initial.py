import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("responsibleeditortask", "responsibleeditortaskstate", "separateapprovergrouptask")


def move_content_types(apps, schema_editor, source="articles", target="newsroom"):
    """Tasks and task states name their type by content type: the existing ones now point at this app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        ContentType.objects.filter(app_label=target, model=model).delete()
        old.app_label = target
        old.save(update_fields=["app_label"])


def move_content_types_back(apps, schema_editor):
    move_content_types(apps, schema_editor, source="newsroom", target="articles")


class Migration(migrations.Migration):
    """The review tasks, moved from the articles app with their tables (a state-only move, see
    articles/migrations/0006_review_tasks_move_to_newsroom.py) and their content types."""

    initial = True

    dependencies = [
        ("articles", "0006_review_tasks_move_to_newsroom"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ResponsibleEditorTask",
                    fields=[
                        (
                            "task_ptr",
                            models.OneToOneField(
                                auto_created=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                parent_link=True,
                                primary_key=True,
                                serialize=False,
                                to="wagtailcore.task",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "责任编辑审核",
                        "verbose_name_plural": "责任编辑审核",
                        "db_table": "articles_responsibleeditortask",
                    },
                    bases=("wagtailcore.task",),
                ),
                migrations.CreateModel(
                    name="ResponsibleEditorTaskState",
                    fields=[
                        (
                            "taskstate_ptr",
                            models.OneToOneField(
                                auto_created=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                parent_link=True,
                                primary_key=True,
                                serialize=False,
                                to="wagtailcore.taskstate",
                            ),
                        ),
                        (
                            "reviewer",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="responsible_reviews",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="审核人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "责任编辑审核状态",
                        "verbose_name_plural": "责任编辑审核状态",
                        "db_table": "articles_responsibleeditortaskstate",
                    },
                    bases=("wagtailcore.taskstate",),
                ),
                migrations.CreateModel(
                    name="SeparateApproverGroupTask",
                    fields=[
                        (
                            "task_ptr",
                            models.OneToOneField(
                                auto_created=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                parent_link=True,
                                primary_key=True,
                                serialize=False,
                                to="wagtailcore.task",
                            ),
                        ),
                        (
                            "groups",
                            models.ManyToManyField(
                                help_text="Pages/snippets at this step in a workflow will be moderated or approved "
                                "by these groups of users",
                                to="auth.group",
                                verbose_name="groups",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "小组终审(不得重复审核)",
                        "verbose_name_plural": "小组终审(不得重复审核)",
                        "db_table": "articles_separateapprovergrouptask",
                    },
                    bases=("wagtailcore.task",),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
