"""Email the reviewers and the chief editors about review stages past their 审核期限 (newsroom/deadlines.py).

Each stage's reviewers and the chief editors are told once; run it every minute from cron.
"""

from django.core.management.base import BaseCommand

from newsroom.deadlines import remind_overdue


class Command(BaseCommand):
    help = "Email the reviewers and chief editors once about each review stage past its time limit (审核期限)."

    def handle(self, *args, **options):
        sent = remind_overdue()
        if sent:
            self.stdout.write(f"已发送 {sent} 封审核超时提醒。")
