"""设置 → 用户: an administrator keeps a Chinese name whole in 姓名, with no family name required."""

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse

from tests import factories


class UserFormTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = factories.user("admin", "管理员", is_superuser=True, email="admin@example.com")
        cls.reporter = factories.user("reporter", "李明", email="reporter@example.com")

    def setUp(self):
        self.client.force_login(self.admin)

    def test_an_account_with_its_whole_name_in_one_field_saves_unchanged(self):
        url = reverse("wagtailusers_users:edit", args=(self.reporter.pk,))
        form = self.client.get(url)
        self.assertContains(form, "姓名(或名)")
        self.assertContains(form, "姓(选填)")
        response = self.client.post(
            url,
            {
                "username": "reporter",
                "email": "reporter@example.com",
                "first_name": "李明",
                "last_name": "",
                "is_active": "on",
                "password1": "",
                "password2": "",
            },
        )
        self.assertRedirects(response, reverse("wagtailusers_users:index"))
        self.assertEqual(get_user_model().objects.get(pk=self.reporter.pk).first_name, "李明")

    def test_a_new_account_needs_a_name_but_no_family_name(self):
        data = {
            "username": "zhouj",
            "email": "zhouj@example.com",
            "first_name": "",
            "last_name": "",
            "password1": "Zhou-jie-2026!",
            "password2": "Zhou-jie-2026!",
        }
        response = self.client.post(reverse("wagtailusers_users:add"), data)
        self.assertEqual(response.status_code, 200)
        self.assertFalse(get_user_model().objects.filter(username="zhouj").exists())
        response = self.client.post(reverse("wagtailusers_users:add"), {**data, "first_name": "周洁"})
        self.assertRedirects(response, reverse("wagtailusers_users:index"))
        self.assertEqual(get_user_model().objects.get(username="zhouj").first_name, "周洁")
