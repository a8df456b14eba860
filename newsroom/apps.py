from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class NewsroomConfig(AppConfig):
    default = True  # the app's own config; the module also holds the users app's (below)
    name = "newsroom"
    verbose_name = "采编流程"

    def ready(self):
        from articles.models import ArticlePage, ChannelIndexPage

        from . import comparisons, corrections, notifications, proofreading, records, review_gate, stats, withdrawal
        from .panels import listing_state
        from .review_permissions import ArticlePermissionTester, ChannelPermissionTester

        # The article pages' extension points (articles/models.py): review fields in the editor's form, no
        # restructuring of a piece under review, channels restructured by chief editors only, and the
        # newsroom's state words in Wagtail's listings.
        # The form also takes a 更正说明 on a live article (newsroom/corrections.py), shown after the title.
        ArticlePage.base_form_class = corrections.CorrectionForm
        ArticlePage.content_panels = corrections.with_correction_panel(ArticlePage.content_panels)
        ArticlePage.permission_tester_class = ArticlePermissionTester
        ArticlePage.state_label = listing_state
        ChannelIndexPage.permission_tester_class = ChannelPermissionTester

        comparisons.register()
        notifications.connect()
        review_gate.connect()
        proofreading.connect()
        records.connect()
        corrections.connect()
        withdrawal.connect()
        stats.connect()  # 统计's summary rows, on publish and on each review decision


class NewsroomUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with the user forms of newsroom/users.py (a family name is optional)."""

    user_viewset = "newsroom.users.NewsroomUserViewSet"
