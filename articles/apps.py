from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "栏目与文章"

    def ready(self):
        from wagtail.signals import post_page_move

        from . import notifications, services

        notifications.connect()
        post_page_move.connect(services.follow_move, dispatch_uid="qingshan-article-channel")

        from config import cache

        cache.connect_signals()
