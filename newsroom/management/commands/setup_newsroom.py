from django.core.management.base import BaseCommand, CommandError

from newsroom.setup import default_home, setup_newsroom


class Command(BaseCommand):
    help = (
        "Create the newsroom roles (记者, 责任编辑, 总编辑), their permissions and review workflows. Safe to re-run."
    )

    def handle(self, *args, **options):
        home = default_home()
        if home.depth < 2:
            raise CommandError("No home page yet: run `python manage.py migrate` first.")
        groups = setup_newsroom(home)
        self.stdout.write(self.style.SUCCESS("采编角色与审核流程已就绪:" + "、".join(groups)))
