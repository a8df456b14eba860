"""Wagtail's page permission policy, answering from the per-request permission cache where it can.

The admin asks for the root of the pages a user may explore on nearly every view (the sidebar, the
dashboard's site summary, the explorer), and the explorer filters its rows by the pages the user may
explore. Wagtail looks up the common ancestor of the user's permitted pages by path for both; the path is
computed here from the permissions already loaded with the per-request cache, and the page taken from
there when it is one of them (a reporter's or editor's permission on the home page). The cache also
carries the permissions' groups, so the review gate's chief-editor check costs no query of its own.
"""

import posixpath

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from .roles import CHIEF_EDITORS, EDITORS

EXPLORE_ACTIONS = {"add", "change", "publish", "lock", "unlock", "bulk_delete"}


def common_path(paths):
    """The path of the deepest page above or at all ``paths``, as Page.objects.first_common_ancestor_of finds it."""
    common = posixpath.commonprefix(list(paths))
    return common[: len(common) - len(common) % Page.steplen]


class NewsroomPagePermissionPolicy(PagePermissionPolicy):
    def get_all_permissions_for_user(self, user):
        return super().get_all_permissions_for_user(user).select_related("group")

    def explorable_root_instance(self, user):
        if not hasattr(user, self._explorable_root_instance_cache_name):
            pages = self.instances_with_direct_explore_permission(user)
            if isinstance(pages, list) and pages:
                path = common_path(page.path for page in pages)
                root = next((page for page in pages if page.path == path), None)
                if root is not None:
                    setattr(user, self._explorable_root_instance_cache_name, root)
        return super().explorable_root_instance(user)

    def explorable_instances(self, user):
        if self._base_queryset_for_user(user) is not None:
            return super().explorable_instances(user)
        pages = [perm.page for perm in self.get_cached_permissions_for_user(user)]
        # Wagtail's rule: the pages the user holds a permission on, their ancestors, below the first common
        # ancestor of those pages' parents. Only that ancestor's path is needed, not the page itself.
        path = common_path(page.path[: -Page.steplen] for page in pages) if pages else ""
        if not path:
            return super().explorable_instances(user)
        explorable = self.instances_user_has_any_permission_for(user, EXPLORE_ACTIONS)
        for page in pages:
            explorable |= self.model._default_manager.ancestor_of(page)
        return explorable.filter(path__startswith=path)


def page_group_names(user):
    """Names of the user's groups that hold page permissions, from the per-request permission cache."""
    policy = policy_registry.get_by_type(Page)
    return {perm.group.name for perm in policy.get_cached_permissions_for_user(user)}


def is_chief_editor(user):
    """Chief editors and administrators: they restructure pieces under review, withdraw articles and read
    every 发稿单. Kept on the user for the request (listings ask once a row; the dashboard fills it in)."""
    if not hasattr(user, "_newsroom_chief"):
        # A chief editor's group holds page permissions (setup_newsroom).
        user._newsroom_chief = user.is_active and (user.is_superuser or CHIEF_EDITORS in page_group_names(user))
    return user._newsroom_chief


def is_editor(user):
    """Responsible editors, chief editors and administrators (who may start a 更正)."""
    return user.is_active and (user.is_superuser or bool({EDITORS, CHIEF_EDITORS} & page_group_names(user)))


def register():
    register_permission_policy(Page, NewsroomPagePermissionPolicy(Page))
