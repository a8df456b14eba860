from django.db import migrations

ROOT_TITLE = "全站"


def name_root_in_chinese(apps, schema_editor):
    """The tree's root, which Wagtail creates as "Root", shows in the admin's page chooser: name it in Chinese."""
    apps.get_model("wagtailcore.Page").objects.filter(depth=1, title="Root").update(
        title=ROOT_TITLE, draft_title=ROOT_TITLE
    )


def restore_root_title(apps, schema_editor):
    root = apps.get_model("wagtailcore.Page").objects.filter(depth=1, title=ROOT_TITLE)
    root.update(title="Root", draft_title="Root")


class Migration(migrations.Migration):
    dependencies = [("home", "0002_create_homepage"), ("wagtailcore", "0001_initial")]

    operations = [migrations.RunPython(name_root_in_chinese, restore_root_title)]
