"""Wagtail's ``publish_scheduled``, which first takes off the schedule any article the review gate would refuse.

An article's revision is scheduled only after its channel's review approved it, but the channel's workflow can
change before the time comes. Such a revision is not published: its schedule is cleared and the operator is
told, instead of one refusal stopping every publication due after it.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Revision

from articles.models import ArticlePage
from newsroom.review_gate import publication_refusal


class Command(WagtailCommand):
    help = "Publish revisions whose time has come and unpublish expired pages; articles only with their review."

    def handle(self, *args, **options):
        due = Revision.objects.filter(
            approved_go_live_at__lt=timezone.now(), content_type=ContentType.objects.get_for_model(ArticlePage)
        )
        for revision in due:
            page = revision.content_object
            if not isinstance(page, ArticlePage):
                continue
            reason = publication_refusal(page, revision)
            if reason is None:
                continue
            if not options["dryrun"]:
                Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
            self.stderr.write(f"《{page.get_admin_display_title()}》未定时发布,已取消其定时:{reason}")
        super().handle(*args, **options)
