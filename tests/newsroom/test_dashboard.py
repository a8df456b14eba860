"""The admin dashboard tells each person what they must do next."""

from bs4 import BeautifulSoup

from tests.newsroom.helpers import NewsroomTestCase


def panel_text(response, panel_id):
    section = BeautifulSoup(response.content, "html.parser").find(id=f"{panel_id}-section")
    return section.get_text(" ", strip=True) if section else ""


class DashboardTests(NewsroomTestCase):
    def test_awaiting_my_review_lists_only_my_own_assignments(self):
        page = self.submitted(title="给王强审核的稿件")
        mine = self.as_user(self.editor).get("/admin/")
        self.assertContains(mine, "待我审核")
        self.assertIn(page.title, panel_text(mine, "awaiting-review"))
        theirs = self.as_user(self.other_editor).get("/admin/")
        self.assertNotIn(page.title, panel_text(theirs, "awaiting-review"))

    def test_my_articles_shows_each_state_and_the_comment_sent_back(self):
        self.create(self.reporter, action=None, title="还在写的草稿", editor=self.editor)
        in_review = self.submitted(title="正在审核的稿件")
        sent_back = self.submitted(title="被退回的稿件")
        self.workflow_action(self.editor, sent_back, "reject", comment="请补充现场照片。")
        published = self.submitted(title="已经发布的稿件")
        self.workflow_action(self.editor, published, "approve")

        text = panel_text(self.as_user(self.reporter).get("/admin/"), "my-articles")
        self.assertIn("还在写的草稿 草稿", text)
        self.assertIn(f"{in_review.title} 审核中", text)
        self.assertIn("被退回的稿件 退回意见:请补充现场照片。 已退回", text)
        self.assertIn("已经发布的稿件 已发布", text)

    def test_chief_editor_sees_reviews_in_progress_with_reassign_link(self):
        page = self.submitted(title="审核中的要闻")
        text = panel_text(self.as_user(self.chief).get("/admin/"), "reviews-in-progress")
        self.assertIn("审核中的要闻", text)
        self.assertIn("王强", text)
        self.assertNotIn(page.title, panel_text(self.as_user(self.reporter).get("/admin/"), "reviews-in-progress"))
