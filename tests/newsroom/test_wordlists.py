"""审校 word lists: the site's 敏感词 and 错别字, their versions, the compiled lists, import, export and the admin."""

import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from wagtail.models import Page

from newsroom.checks import sources
from newsroom.models import CheckLevel, CheckRecord, SensitiveWord, TypoPair, WordListVersion
from newsroom.wordlists import LineError, SensitiveWordFormat, TypoPairFormat, decode, export_text, import_text
from tests.admin.english import describe, english_words
from tests.admin.visible_text import response_html, visible_text
from tests.newsroom.helpers import NewsroomTestCase

BOM = "\ufeff"


def found(word_list, text):
    """(matched word, level, note) for each match of the compiled list in the text."""
    return [(word, level, note) for _, _, word, level, note in word_list.find(text)]


class WordListVersionTests(TestCase):
    def test_every_change_to_a_list_gives_it_a_new_version(self):
        versions = [WordListVersion.current(WordListVersion.SENSITIVE)]
        word = SensitiveWord.objects.create(word="测试敏感词")
        versions.append(WordListVersion.current(WordListVersion.SENSITIVE))
        word.level = CheckLevel.WARN
        word.save()
        versions.append(WordListVersion.current(WordListVersion.SENSITIVE))
        SensitiveWord.objects.filter(pk=word.pk).delete()
        versions.append(WordListVersion.current(WordListVersion.SENSITIVE))
        self.assertEqual(len(set(versions)), 4)

    def test_a_change_to_one_list_leaves_the_other_lists_version(self):
        SensitiveWord.objects.create(word="测试敏感词")
        before = WordListVersion.current(WordListVersion.SENSITIVE)
        TypoPair.objects.create(wrong="生态环竟", right="生态环境")
        self.assertEqual(WordListVersion.current(WordListVersion.SENSITIVE), before)
        self.assertNotEqual(WordListVersion.current(WordListVersion.TYPOS), "")

    def test_an_import_that_changes_nothing_keeps_the_version(self):
        import_text("测试敏感词\n", SensitiveWordFormat())
        before = WordListVersion.current(WordListVersion.SENSITIVE)
        import_text("测试敏感词\n", SensitiveWordFormat())
        self.assertEqual(WordListVersion.current(WordListVersion.SENSITIVE), before)


class CompiledListTests(TestCase):
    def test_empty_lists_give_no_word_list(self):
        self.assertIsNone(sources.sensitive_words())
        self.assertIsNone(sources.site_typos())

    def test_a_change_to_the_list_is_seen_by_the_next_call(self):
        SensitiveWord.objects.create(word="测试敏感词", note="演示")
        self.assertEqual(found(sources.sensitive_words(), "这是测试敏感词。"), [("测试敏感词", "block", "演示")])
        SensitiveWord.objects.create(word="内部资料", level=CheckLevel.WARN)
        self.assertEqual(found(sources.sensitive_words(), "一份内部资料"), [("内部资料", "warn", "")])
        SensitiveWord.objects.filter(word="内部资料").delete()
        self.assertEqual(found(sources.sensitive_words(), "一份内部资料"), [])

    def test_words_imported_in_bulk_are_seen_by_the_next_call(self):
        sources.sensitive_words()
        import_text("某某违禁词\t提示\t占位\n", SensitiveWordFormat())
        self.assertEqual(found(sources.sensitive_words(), "某某违禁词"), [("某某违禁词", "warn", "占位")])

    def test_an_unchanged_list_is_not_compiled_again(self):
        SensitiveWord.objects.create(word="测试敏感词")
        TypoPair.objects.create(wrong="生态环竟", right="生态环境")
        with mock.patch.object(sources, "WordList", wraps=sources.WordList) as compile_list:
            first = sources.sensitive_words()
            self.assertIs(sources.sensitive_words(), first)
            sources.site_typos()
            sources.site_typos()
            self.assertEqual(compile_list.call_count, 2)
            TypoPair.objects.create(wrong="黄河流城", right="黄河流域")
            sources.site_typos()
            self.assertIs(sources.sensitive_words(), first)
            self.assertEqual(compile_list.call_count, 3)

    def test_site_typos_suggest_the_right_form(self):
        TypoPair.objects.create(wrong="生态环竟", right="生态环境")
        self.assertEqual(found(sources.site_typos(), "保护生态环竟"), [("生态环竟", "warn", "生态环境")])


class ImportFormatTests(TestCase):
    def test_good_lines_are_kept_and_bad_ones_reported_by_line_number(self):
        text = "\n".join(
            [
                "# 本站敏感词",  # 1: a comment
                "测试敏感词",  # 2: takes the file's level
                "内部资料\t提示\t核实是否可公开",  # 3
                "",  # 4: blank
                "某某违禁词\tmaybe",  # 5: unknown level
                "长" * 101,  # 6: too long
                "甲\twarn\t说明\t多余",  # 7: too many fields
                "测试敏感词\t提示",  # 8: repeats line 2
                "某某违禁词\twarn",  # 9
            ]
        )
        report = import_text(text, SensitiveWordFormat(CheckLevel.BLOCK))
        self.assertEqual((report.added, report.updated, report.duplicates), (3, 0, 1))
        self.assertEqual([number for number, _ in report.skipped], [5, 6, 7, 8])
        reasons = dict(report.skipped)
        self.assertIn("无法识别的级别“maybe”", reasons[5])
        self.assertIn("超过 100 个字符", reasons[6])
        self.assertIn("与第 2 行重复", reasons[8])
        self.assertEqual(
            set(SensitiveWord.objects.values_list("word", "level", "note")),
            {("测试敏感词", "block", ""), ("内部资料", "warn", "核实是否可公开"), ("某某违禁词", "warn", "")},
        )

    def test_importing_again_updates_changed_words_and_counts_the_rest(self):
        import_text("测试敏感词\n内部资料\n", SensitiveWordFormat(CheckLevel.BLOCK))
        report = import_text("测试敏感词\n内部资料\t提示\n新词\n", SensitiveWordFormat(CheckLevel.BLOCK))
        self.assertEqual((report.added, report.updated, report.unchanged), (1, 1, 1))
        self.assertEqual(SensitiveWord.objects.count(), 3)
        self.assertEqual(SensitiveWord.objects.get(word="内部资料").level, "warn")

    def test_files_with_and_without_byte_order_mark_read_alike_and_other_encodings_are_refused(self):
        self.assertEqual(decode((BOM + "测试敏感词\n").encode("utf-8")), decode("测试敏感词\n".encode()))
        with self.assertRaisesMessage(LineError, "不是 UTF-8 编码"):
            decode("测试敏感词".encode("gbk"))

    def test_typo_pairs_need_both_forms(self):
        report = import_text("生态环竟\t生态环境\n黄河流城\n一样\t一样\n", TypoPairFormat())
        self.assertEqual(report.added, 1)
        self.assertEqual([number for number, _ in report.skipped], [2, 3])
        self.assertEqual(TypoPair.objects.get().right, "生态环境")

    def test_export_reads_back_as_the_same_list(self):
        import_text("测试敏感词\n内部资料\t提示\t核实\n", SensitiveWordFormat(CheckLevel.BLOCK))
        exported = export_text(SensitiveWord.objects.all(), SensitiveWordFormat())
        self.assertEqual(exported, "内部资料\t提示\t核实\n测试敏感词\t拦截\n")
        SensitiveWord.objects.all().delete()
        import_text(exported, SensitiveWordFormat(CheckLevel.WARN))
        self.assertEqual(
            set(SensitiveWord.objects.values_list("word", "level", "note")),
            {("测试敏感词", "block", ""), ("内部资料", "warn", "核实")},
        )


class ImportCommandTests(TestCase):
    def run_command(self, data, *args):
        with tempfile.NamedTemporaryFile("wb", suffix=".txt", delete=False) as handle:
            handle.write(data)
        self.addCleanup(Path(handle.name).unlink)
        out, err = StringIO(), StringIO()
        call_command("import_wordlist", handle.name, *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_command_prints_counts_and_skipped_lines(self):
        SensitiveWord.objects.create(word="内部资料")
        text = BOM + "测试敏感词\n内部资料\n坏行\tmaybe\n测试敏感词\n"
        out, err = self.run_command(text.encode(), "--level", "warn")
        self.assertIn("新增 1 条,更新 1 条,未变 0 条,跳过 2 行(其中重复 1 行)", out)
        self.assertIn("第 3 行:无法识别的级别“maybe”", err)
        self.assertIn("第 4 行:与第 1 行重复", err)
        self.assertEqual(
            set(SensitiveWord.objects.values_list("word", "level")), {("测试敏感词", "warn"), ("内部资料", "warn")}
        )

    def test_command_imports_typo_pairs(self):
        out, _ = self.run_command("生态环竟\t生态环境\n".encode(), "--typos")
        self.assertIn("新增 1 条", out)
        self.assertTrue(TypoPair.objects.filter(wrong="生态环竟", right="生态环境").exists())

    def test_command_refuses_a_file_that_is_not_utf8(self):
        with self.assertRaisesMessage(CommandError, "不是 UTF-8 编码"):
            self.run_command("测试敏感词\n".encode("gbk"))


class CheckRecordTests(NewsroomTestCase):
    def test_records_of_a_revision_are_newest_first_and_acknowledged_by_a_person(self):
        revision = self.kepu.save_revision(user=self.reporter)
        finding = {"rule": "sensitive", "level": "block", "field": "body", "start": 0, "end": 5, "text": "测试敏感词"}
        older = CheckRecord.objects.create(
            revision=revision, stage="submit", findings=[finding], checked_by=self.reporter
        )
        newer = CheckRecord.objects.create(
            revision=revision, stage="责任编辑审核", findings=[], checked_by=self.editor
        )
        self.assertEqual(list(revision.check_records.all()), [newer, older])
        self.assertEqual(older.blocking, [finding])
        self.assertFalse(older.acknowledged)
        older.acknowledge(self.editor)
        older.refresh_from_db()
        self.assertEqual((older.acknowledged_by, older.acknowledged), (self.editor, True))
        Page.objects.get(pk=self.kepu.pk).revisions.all().delete()
        self.assertFalse(CheckRecord.objects.exists())


class WordListAdminTests(NewsroomTestCase):
    index = reverse("sensitive_words:index")
    typos_index = reverse("site_typos:index")

    def setUp(self):
        self.client.force_login(self.chief)

    def assert_chinese(self, response):
        self.assertEqual(response.status_code, 200)
        # "UTF-8" names the encoding; the rest is data the test typed.
        words = english_words(visible_text(response_html(response)), ["UTF", "chenhua"])
        self.assertFalse(words, describe({response.request["PATH_INFO"]: words}))

    def messages(self, response):
        return [str(message).strip() for message in get_messages(response.wsgi_request)]

    def test_chief_editor_finds_the_lists_in_the_menu_in_chinese(self):
        dashboard = self.client.get(reverse("wagtailadmin_home"))
        self.assertContains(dashboard, self.index)
        self.assertContains(dashboard, self.typos_index)
        word = SensitiveWord.objects.create(word="测试敏感词", note="演示")
        for url in (
            self.index,
            reverse("sensitive_words:add"),
            reverse("sensitive_words:edit", args=(word.pk,)),
            reverse("sensitive_words:delete", args=(word.pk,)),
            reverse("sensitive_words:import"),
            self.typos_index,
            reverse("site_typos:add"),
            reverse("site_typos:import"),
        ):
            with self.subTest(url=url):
                self.assert_chinese(self.client.get(url))
        listing = self.client.get(self.index)
        for label in ("敏感词", "处理方式", "说明", "导入", "导出", "拦截"):
            self.assertContains(listing, label)

    def test_chief_editor_adds_finds_filters_edits_and_deletes_a_word(self):
        add = reverse("sensitive_words:add")
        response = self.client.post(add, {"word": "测试敏感词", "level": "block", "note": ""}, follow=True)
        self.assertEqual(response.redirect_chain, [(self.index, 302)])
        word = SensitiveWord.objects.get(word="测试敏感词")
        self.assertEqual(word.created_by, self.chief)
        SensitiveWord.objects.create(word="内部资料", level=CheckLevel.WARN)

        searched = self.client.get(self.index, {"q": "内部"})
        self.assertContains(searched, "内部资料")
        self.assertNotContains(searched, "测试敏感词")
        filtered = self.client.get(self.index, {"level": "block"})
        self.assertContains(filtered, "测试敏感词")
        self.assertNotContains(filtered, "内部资料")

        edit = reverse("sensitive_words:edit", args=(word.pk,))
        self.client.post(edit, {"word": "测试敏感词", "level": "warn", "note": "改为提示"})
        self.assertEqual(found(sources.sensitive_words(), "测试敏感词"), [("测试敏感词", "warn", "改为提示")])
        self.client.post(reverse("sensitive_words:delete", args=(word.pk,)))
        self.assertFalse(SensitiveWord.objects.filter(word="测试敏感词").exists())

    def test_a_word_already_on_the_list_is_refused(self):
        SensitiveWord.objects.create(word="测试敏感词")
        response = self.client.post(
            reverse("sensitive_words:add"), {"word": "测试敏感词", "level": "warn", "note": ""}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(SensitiveWord.objects.count(), 1)

    def test_import_then_export_gives_the_same_list(self):
        upload = SimpleUploadedFile(
            "words.txt", (BOM + "测试敏感词\n内部资料\t拦截\t说明\n坏行\tmaybe\n测试敏感词\n").encode()
        )
        response = self.client.post(reverse("sensitive_words:import"), {"file": upload, "level": "warn"})
        self.assertRedirects(response, self.index)
        shown = self.messages(response)
        self.assertIn("导入完成:新增 2 条,更新 0 条,未变 0 条,跳过 2 行(其中重复 1 行)。", shown)
        self.assertTrue(any("第 3 行:无法识别的级别“maybe”" in message for message in shown), shown)
        self.assertEqual(SensitiveWord.objects.get(word="测试敏感词").created_by, self.chief)

        export = self.client.get(reverse("sensitive_words:export"))
        self.assertEqual(export["Content-Type"], "text/plain; charset=utf-8")
        self.assertIn("attachment", export["Content-Disposition"])
        exported = export.content.decode()
        self.assertEqual(exported, "内部资料\t拦截\t说明\n测试敏感词\t提示\n")

        SensitiveWord.objects.all().delete()
        upload = SimpleUploadedFile("敏感词.txt", exported.encode())
        self.client.post(reverse("sensitive_words:import"), {"file": upload, "level": "block"})
        self.assertEqual(
            set(SensitiveWord.objects.values_list("word", "level", "note")),
            {("内部资料", "block", "说明"), ("测试敏感词", "warn", "")},
        )

    def test_a_file_in_another_encoding_is_refused_with_a_message(self):
        upload = SimpleUploadedFile("words.txt", "测试敏感词\n".encode("gbk"))
        response = self.client.post(reverse("sensitive_words:import"), {"file": upload, "level": "block"})
        self.assertContains(response, "文件不是 UTF-8 编码的文本")
        self.assertFalse(SensitiveWord.objects.exists())

    def test_typo_pairs_import_and_export(self):
        upload = SimpleUploadedFile("typos.txt", "生态环竟\t生态环境\n黄河流城\n".encode())
        response = self.client.post(reverse("site_typos:import"), {"file": upload})
        self.assertRedirects(response, self.typos_index)
        self.assertEqual(self.client.get(reverse("site_typos:export")).content.decode(), "生态环竟\t生态环境\n")

    def test_reporters_and_editors_cannot_open_the_word_lists(self):
        word = SensitiveWord.objects.create(word="测试敏感词")
        urls = [
            self.index,
            reverse("sensitive_words:add"),
            reverse("sensitive_words:edit", args=(word.pk,)),
            reverse("sensitive_words:import"),
            reverse("sensitive_words:export"),
            self.typos_index,
            reverse("site_typos:export"),
        ]
        for person in (self.reporter, self.editor):
            self.client.force_login(person)
            self.assertNotContains(self.client.get(reverse("wagtailadmin_home")), self.index)
            for url in urls:
                with self.subTest(person=person.username, url=url):
                    response = self.client.get(url)
                    self.assertIn(response.status_code, (302, 403))
                    self.assertNotIn("测试敏感词", response.content.decode())
            upload = SimpleUploadedFile("words.txt", "某某违禁词\n".encode())
            self.client.post(reverse("sensitive_words:import"), {"file": upload, "level": "block"})
        self.assertFalse(SensitiveWord.objects.filter(word="某某违禁词").exists())


class DemoWordListTests(TestCase):
    def test_the_demo_loads_its_word_list_once_and_keeps_the_sites_edits(self):
        call_command("load_demo", stdout=StringIO())
        self.assertEqual(SensitiveWord.objects.get(word="测试敏感词").level, "block")
        self.assertEqual(SensitiveWord.objects.get(word="内部资料").level, "warn")
        SensitiveWord.objects.filter(word="测试敏感词").update(level=CheckLevel.WARN)
        count = SensitiveWord.objects.count()
        call_command("load_demo", stdout=StringIO())
        self.assertEqual(SensitiveWord.objects.count(), count)
        self.assertEqual(SensitiveWord.objects.get(word="测试敏感词").level, "warn")
        self.assertEqual(found(sources.site_typos(), "生态环竟"), [("生态环竟", "warn", "生态环境")])
