from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "栏目与文章"

    def ready(self):
        from wagtail.signals import page_published, post_page_move

        from . import renditions, services

        post_page_move.connect(services.follow_move, dispatch_uid="qingshan-article-channel")
        page_published.connect(renditions.article_published, dispatch_uid="qingshan-article-renditions")
