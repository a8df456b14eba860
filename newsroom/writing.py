"""写稿 from the dashboard: the channels a person may write in, and the panel that starts a new article."""

from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from articles.models import ArticlePage, ChannelIndexPage


def writable_channels(user):
    """The channels in which `user` may write an article, in the order of the page tree (the menu's)."""
    pages_with_add = PagePermissionPolicy().instances_user_has_permission_for(user, "add")
    channels = ChannelIndexPage.objects.filter(pk__in=pages_with_add.values("pk")).order_by("path")
    return [
        channel
        for channel in channels
        if ArticlePage.can_create_at(channel) and channel.permissions_for_user(user).can_add_subpage()
    ]


class WriteArticlePanel(Component):
    """新稿件: the 写稿 button, for everyone who may write in at least one channel."""

    name = "write_article"
    template_name = "newsroom/admin/write_article_panel.html"
    # First on the dashboard: writing is what most people come for.
    order = 50
