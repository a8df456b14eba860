from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "newsroom"
    verbose_name = "采编流程"

    def ready(self):
        from articles.models import ArticlePage, ChannelIndexPage

        from . import notifications, proofreading, review_gate
        from .forms import ArticlePageForm
        from .panels import listing_state
        from .review_permissions import ArticlePermissionTester, ChannelPermissionTester

        # The article pages' extension points (articles/models.py): review fields in the editor's form, no
        # restructuring of a piece under review, channels restructured by chief editors only, and the
        # newsroom's state words in Wagtail's listings.
        ArticlePage.base_form_class = ArticlePageForm
        ArticlePage.permission_tester_class = ArticlePermissionTester
        ArticlePage.state_label = listing_state
        ChannelIndexPage.permission_tester_class = ChannelPermissionTester

        notifications.connect()
        review_gate.connect()
        proofreading.connect()
