from django.db import migrations


class Migration(migrations.Migration):
    """The review tasks now belong to the newsroom app (newsroom/migrations/0001_initial.py): they leave this
    app's state only; their tables and rows stay as they are."""

    dependencies = [
        ("articles", "0005_channel_column"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ResponsibleEditorTaskState"),
                migrations.DeleteModel(name="ResponsibleEditorTask"),
                migrations.DeleteModel(name="SeparateApproverGroupTask"),
            ],
            database_operations=[],
        ),
    ]
