from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "栏目与文章"

    def ready(self):
        from . import notifications

        notifications.connect()

        from config import cache

        cache.connect_signals()
