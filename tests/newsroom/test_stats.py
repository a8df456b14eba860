"""统计: the newsroom statistics report, every figure against hand-counted fixtures, its filters and exports."""

import csv
import io
from datetime import date, timedelta

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from articles.models import ArticlePage
from newsroom.models import ArticleStats, ReviewStat
from newsroom.stats import StatsFilter, build_report, percentile_cont
from tests import factories
from tests.newsroom.helpers import NewsroomTestCase

URL = "/admin/reports/newsroom-stats/"
HOUR = 3600


def _image_block(image, caption):
    value = {"image": {"image": image.pk, "alt_text": "候鸟", "decorative": False}, "caption": caption, "credit": ""}
    return {"type": "image", "value": value}


class StatsFixture(NewsroomTestCase):
    """Four articles and six review decisions whose figures are counted by hand below.

    | article | channel | reporter | first published | 字数 | images | source |
    | A1 黄河治理 | 要闻 | 李明 | 2025-03-03 09:00 | 4 + PM2.5 浓度下降 20% (1+4+1) = 10 | 0 | — (原创) |
    | A2 汾河 | 要闻 | 李明 | 2025-03-03 15:00 | 2 + COP27-related 会议 (1+2) + 图注候鸟 (2) = 7 | 2 | 人民日报 (转载)
    | A3 湿地 | 科普 | 周洁 | 2025-03-05 10:00 | 2 + don't 保护湿地 (1+4) = 7 | 0 | 本网 (原创) |
    | A4 生态山西新闻 | 科普 | 李明 | 2025-04-10 10:00 | 6 + 山西 2025 (2+1) = 9 | 0 | 生态山西 (the site: 原创) |
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        photo = factories.image()
        cls.a1 = cls.published(cls.yaowen, "黄河治理", "2025-03-03 09:00", cls.reporter, ["PM2.5 浓度下降 20%"])
        cls.a2 = cls.published(
            cls.yaowen,
            "汾河",
            "2025-03-03 15:00",
            cls.reporter,
            ["COP27-related 会议"],
            extra_blocks=[_image_block(photo, "候鸟")],
            cover_image=photo,
            source_name="人民日报",
        )
        cls.a3 = cls.published(
            cls.kepu, "湿地", "2025-03-05 10:00", cls.other_reporter, ["don't 保护湿地"], source_name="本网"
        )
        cls.a4 = cls.published(
            cls.kepu, "生态山西新闻", "2025-04-10 10:00", cls.reporter, ["山西 2025"], source_name="生态山西"
        )
        # Review decisions: 责任编辑审核 by 王强 (1 h, 2 h sent back, 3 h, 10 h), 总编辑终审 by 陈华 (0.5 h, 30 h).
        decisions = [
            (cls.a1, cls.yaowen, "责任编辑审核", cls.editor, "approved", 1, "2025-03-03 08:00"),
            (cls.a2, cls.yaowen, "责任编辑审核", cls.editor, "rejected", 2, "2025-03-02 08:00"),
            (cls.a3, cls.kepu, "责任编辑审核", cls.editor, "approved", 3, "2025-03-05 08:00"),
            (cls.a4, cls.kepu, "责任编辑审核", cls.editor, "approved", 10, "2025-04-09 08:00"),
            (cls.a1, cls.yaowen, "总编辑终审", cls.chief, "approved", 0.5, "2025-03-03 08:30"),
            (cls.a2, cls.yaowen, "总编辑终审", cls.chief, "approved", 30, "2025-03-03 14:00"),
        ]
        for number, (page, channel, task, reviewer, decision, hours, decided) in enumerate(decisions, start=1):
            decided_at = factories.when(decided)
            ReviewStat.objects.create(
                task_state_id=900 + number,
                page_id=page.pk,
                channel_id=channel.pk,
                reporter_id=cls.reporter.pk,
                reviewer_id=reviewer.pk,
                task_name=task,
                decision=decision,
                started_at=decided_at - timedelta(hours=hours),
                decided_at=decided_at,
                duration_seconds=round(hours * HOUR),
            )

    @classmethod
    def published(cls, channel, title, first_published, owner, texts, extra_blocks=(), **fields):
        blocks = [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts]
        page = factories.article(
            channel, title=title, owner=owner, body=factories.body(*blocks, *extra_blocks), **fields
        )
        # The summary row was written on publication; the fixture dates it.
        ArticleStats.objects.filter(page_id=page.pk).update(first_published_at=factories.when(first_published))
        return page

    def report(self, **filters):
        return build_report(StatsFilter(**filters))


class ArticleFigureTests(StatsFixture):
    def test_each_publication_leaves_one_summary_row_with_its_facts(self):
        rows = {row.page_id: row for row in ArticleStats.objects.all()}
        self.assertEqual(
            [
                (rows[a.pk].word_count, rows[a.pk].image_count, rows[a.pk].reprint)
                for a in (self.a1, self.a2, self.a3, self.a4)
            ],
            [(10, 0, False), (7, 2, True), (7, 0, False), (9, 0, False)],
        )
        self.assertEqual(rows[self.a3.pk].channel_id, self.kepu.pk)
        self.assertEqual(rows[self.a3.pk].reporter_id, self.other_reporter.pk)

    def test_totals_count_articles_characters_originals_reprints_and_images(self):
        totals = self.report().totals
        self.assertEqual(
            (totals["articles"], totals["words"], totals["originals"], totals["reprints"], totals["images"]),
            (4, 33, 3, 1, 2),
        )

    def test_figures_per_channel_and_per_reporter(self):
        report = self.report()
        by_channel = {
            row["name"]: (row["articles"], row["words"], row["reprints"], row["images"]) for row in report.by_channel
        }
        self.assertEqual(by_channel, {"要闻": (2, 17, 1, 2), "科普": (2, 16, 0, 0)})
        by_reporter = {row["name"]: (row["articles"], row["words"]) for row in report.by_reporter}
        self.assertEqual(by_reporter, {"李明": (3, 26), "周洁": (1, 7)})

    def test_volume_per_day_shows_every_day_of_the_range_including_quiet_ones(self):
        report = self.report(
            date_from=factories.when("2025-03-01").date(), date_to=factories.when("2025-03-31").date()
        )
        self.assertEqual(report.period, "day")
        self.assertEqual(len(report.periods), 31)
        days = {label: report.volume_by_channel.get(day, {}) for day, label in report.periods}
        self.assertEqual(days["2025-03-03"], {self.yaowen.pk: 2})
        self.assertEqual(days["2025-03-05"], {self.kepu.pk: 1})
        self.assertEqual(days["2025-03-04"], {})
        reporters = {label: report.volume_by_reporter.get(day, {}) for day, label in report.periods}
        self.assertEqual(reporters["2025-03-03"], {self.reporter.pk: 2})

    def test_volume_per_week_and_per_month(self):
        weekly = self.report(period="week")
        self.assertEqual(
            {
                label: sum(weekly.volume_by_channel.get(day, {}).values())
                for day, label in weekly.periods
                if weekly.volume_by_channel.get(day)
            },
            {"2025-03-03起": 3, "2025-04-07起": 1},
        )
        monthly = self.report(period="month")
        self.assertEqual(
            [(label, sum(monthly.volume_by_channel.get(day, {}).values())) for day, label in monthly.periods],
            [("2025-03", 3), ("2025-04", 1)],
        )

    def test_filters_by_month_channel_and_person(self):
        april = self.report(date_from=factories.when("2025-04-01").date(), date_to=factories.when("2025-04-30").date())
        self.assertEqual((april.totals["articles"], april.totals["words"]), (1, 9))
        kepu = self.report(channel_id=self.kepu.pk)
        self.assertEqual((kepu.totals["articles"], kepu.totals["words"]), (2, 16))
        zhou = self.report(person_id=self.other_reporter.pk)
        self.assertEqual((zhou.totals["articles"], zhou.totals["words"]), (1, 7))


class ReviewFigureTests(StatsFixture):
    def test_median_and_p90_review_time_per_stage(self):
        stages = {row["task_name"]: row for row in self.report().by_stage}
        # 责任编辑审核 [1, 2, 3, 10] h: median 2.5 h; p90 at rank 2.7: 3 + 0.7 × 7 = 7.9 h.
        self.assertAlmostEqual(stages["责任编辑审核"]["median"], 2.5 * HOUR)
        self.assertAlmostEqual(stages["责任编辑审核"]["p90"], 7.9 * HOUR)
        # 总编辑终审 [0.5, 30] h: median 15.25 h; p90 0.5 + 0.9 × 29.5 = 27.05 h.
        self.assertAlmostEqual(stages["总编辑终审"]["median"], 15.25 * HOUR)
        self.assertAlmostEqual(stages["总编辑终审"]["p90"], 27.05 * HOUR)

    def test_review_time_and_send_back_rate_per_editor_and_overall(self):
        report = self.report()
        editors = {row["name"]: row for row in report.by_reviewer}
        self.assertEqual((editors["王强"]["decisions"], editors["王强"]["rejected"]), (4, 1))
        self.assertAlmostEqual(editors["王强"]["rate"], 0.25)
        self.assertAlmostEqual(editors["陈华"]["rate"], 0.0)
        totals = report.review_totals
        # All six [0.5, 1, 2, 3, 10, 30] h: median 2.5 h; p90 at rank 4.5: 10 + 0.5 × 20 = 20 h; 1 of 6 sent back.
        self.assertAlmostEqual(totals["median"], 2.5 * HOUR)
        self.assertAlmostEqual(totals["p90"], 20 * HOUR)
        self.assertAlmostEqual(totals["rate"], 1 / 6)

    def test_review_time_distribution(self):
        self.assertEqual(
            self.report().distribution,
            [
                ("1小时内", 1),
                ("1–2小时", 1),
                ("2–4小时", 2),
                ("4–8小时", 0),
                ("8–24小时", 1),
                ("1–2天", 1),
                ("2–7天", 0),
                ("7天以上", 0),
            ],
        )

    def test_review_filters_by_channel_person_and_date(self):
        kepu = self.report(channel_id=self.kepu.pk).review_totals
        self.assertEqual(kepu["decisions"], 2)
        self.assertAlmostEqual(kepu["median"], 6.5 * HOUR)
        wang = self.report(person_id=self.editor.pk).review_totals
        self.assertEqual((wang["decisions"], wang["rejected"]), (4, 1))
        march = self.report(date_from=factories.when("2025-03-01").date(), date_to=factories.when("2025-03-31").date())
        self.assertEqual(march.review_totals["decisions"], 5)

    def test_percentile_cont_interpolates_between_ranks(self):
        self.assertEqual(percentile_cont([1, 2, 3, 10], 0.5), 2.5)
        self.assertAlmostEqual(percentile_cont([1, 2, 3, 10], 0.9), 7.9)
        self.assertIsNone(percentile_cont([], 0.5))


class ReportScreenTests(StatsFixture):
    def get(self, person, **query):
        return self.as_user(person).get(URL, query)

    def test_only_chief_editors_and_administrators_open_the_report(self):
        admin = factories.user("admin", is_superuser=True, is_staff=True)
        self.assertEqual(self.get(self.chief).status_code, 200)
        self.assertEqual(self.get(admin).status_code, 200)
        refused = self.get(self.editor)
        self.assertEqual(refused.status_code, 403)
        self.assertContains(refused, "采编统计仅供总编辑和管理员查看", status_code=403)
        self.assertEqual(self.get(self.reporter).status_code, 403)
        self.assertEqual(self.get(self.editor, export="csv").status_code, 403)

    def test_the_reports_menu_offers_the_report_to_chief_editors_only(self):
        self.assertContains(self.as_user(self.chief).get(reverse("wagtailadmin_home")), f'"url": "{URL}"')
        self.assertNotContains(self.as_user(self.editor).get(reverse("wagtailadmin_home")), URL)

    def test_the_report_draws_its_charts_as_inline_svg_with_chinese_titles(self):
        response = self.get(self.chief, date_from="2025-03-01", date_to="2025-03-31")
        html = response.content.decode()
        self.assertEqual(html.count('<svg xmlns="http://www.w3.org/2000/svg" class="newsroom-chart" role="img"'), 4)
        for title in ("发稿量(按日)", "各记者发稿数", "各审核人审核用时中位数(小时)", "审核用时分布"):
            self.assertIn(f"{title}</title>", html)
        self.assertIn("<title>要闻 2025-03-03:2 篇</title>", html)
        self.assertIn("<title>李明:2 篇</title>", html)
        self.assertNotIn("<script", html.split('id="main"')[-1].split("</main>")[0])

    def test_the_table_shows_the_figures(self):
        response = self.get(self.chief)
        tables = {title: rows for title, _headings, rows in response.context["tables"]}
        self.assertIn(["要闻", 2, 17, 8, 1, 1, 2], tables["按栏目"])
        self.assertContains(response, "<caption")
        self.assertContains(response, "按审核人")

    def test_a_reversed_date_range_is_refused_in_words(self):
        response = self.get(self.chief, date_from="2025-04-01", date_to="2025-03-01")
        self.assertContains(response, "开始日期不能晚于结束日期。")
        self.assertEqual(response.context["report"].totals["articles"], 4)

    def test_csv_export_is_utf8_with_a_byte_order_mark_and_holds_every_table(self):
        response = self.get(self.chief, channel=self.kepu.pk, export="csv")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertTrue(response.content.startswith("\ufeff".encode()))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        self.assertIn(["栏目", "科普"], rows)
        start = rows.index(["按记者"])
        self.assertEqual(rows[start + 1], ["记者", "发稿数", "字数", "篇均字数", "原创", "转载", "图片"])
        self.assertEqual(
            sorted(rows[start + 2 : start + 4]),
            [["周洁", "1", "7", "7", "1", "0", "0"], ["李明", "1", "9", "9", "1", "0", "0"]],
        )
        stage = rows[rows.index(["审核用时·按环节"]) + 2]
        self.assertEqual(stage, ["责任编辑审核", "2", "0", "0.0", "6.5", "9.3"])

    def test_excel_export_has_one_sheet_per_table(self):
        response = self.get(self.chief, export="xlsx")
        self.assertEqual(response.status_code, 200)
        workbook = load_workbook(io.BytesIO(response.content))
        self.assertIn("概览", workbook.sheetnames)
        overview = dict(workbook["概览"].iter_rows(min_row=2, values_only=True))
        self.assertEqual((overview["发稿数"], overview["字数合计"], overview["转载"]), (4, 33, 1))
        self.assertAlmostEqual(overview["退回率(%)"], 16.7)
        reviewers = {row[0]: row for row in workbook["审核用时·按审核人"].iter_rows(min_row=2, values_only=True)}
        self.assertEqual(reviewers["王强"], ("王强", 4, 1, 25.0, 2.5, 7.9))


class SummaryUpkeepTests(NewsroomTestCase):
    def test_a_review_through_the_admin_fills_both_summaries(self):
        page = self.submitted(
            self.kepu, editor=self.editor, title="汾河湿地候鸟数量创新高", text="<p>候鸟 PM2.5 监测</p>"
        )
        self.workflow_action(self.editor, page, "reject", comment="请补充监测数据来源。")
        self.edit(
            self.reporter, page, title="汾河湿地候鸟数量创新高", editor=self.editor, text="<p>候鸟 PM2.5 监测</p>"
        )
        self.workflow_action(self.editor, page, "approve")
        page = ArticlePage.objects.get(pk=page.pk)
        self.assertTrue(page.live)

        row = ArticleStats.objects.get(page_id=page.pk)
        # 汾河湿地候鸟数量创新高 (11) + 候鸟 PM2.5 监测 (2 + 1 + 2)
        self.assertEqual(
            (row.channel_id, row.reporter_id, row.word_count, row.reprint), (self.kepu.pk, self.reporter.pk, 16, False)
        )
        self.assertEqual(row.first_published_at, page.first_published_at)
        reviews = ReviewStat.objects.filter(page_id=page.pk).order_by("decided_at")
        self.assertEqual(
            [(r.task_name, r.decision, r.reviewer_id) for r in reviews],
            [("责任编辑审核", "rejected", self.editor.pk), ("责任编辑审核", "approved", self.editor.pk)],
        )
        self.assertTrue(all(r.channel_id == self.kepu.pk and r.reporter_id == self.reporter.pk for r in reviews))

    def test_rebuilding_the_summaries_from_existing_data_gives_the_same_rows(self):
        page = self.submitted(self.kepu, editor=self.editor)
        self.workflow_action(self.editor, page, "approve")
        before_articles = list(
            ArticleStats.objects.values_list("page_id", "word_count", "channel_id", "first_published_at")
        )
        before_reviews = list(ReviewStat.objects.values_list("task_state_id", "duration_seconds", "decision"))
        ArticleStats.objects.all().delete()
        ReviewStat.objects.all().delete()

        out = io.StringIO()
        call_command("rebuild_newsroom_stats", stdout=out)

        self.assertEqual(
            list(ArticleStats.objects.values_list("page_id", "word_count", "channel_id", "first_published_at")),
            before_articles,
        )
        self.assertEqual(
            list(ReviewStat.objects.values_list("task_state_id", "duration_seconds", "decision")), before_reviews
        )
        self.assertIn("已汇总", out.getvalue())


class ReportShapeTests(StatsFixture):
    def test_an_article_published_after_midnight_beijing_time_counts_on_that_local_day(self):
        # 00:30 on 6 March in Beijing is still 5 March in UTC.
        self.published(self.kepu, "夜班稿", "2025-03-06 00:30", self.other_reporter, ["夜班"])
        sixth = self.report(date_from=date(2025, 3, 6), date_to=date(2025, 3, 6))
        fifth = self.report(date_from=date(2025, 3, 5), date_to=date(2025, 3, 5))
        self.assertEqual((sixth.totals["articles"], fifth.totals["articles"]), (1, 1))
        self.assertEqual(sixth.volume_by_channel, {date(2025, 3, 6): {self.kepu.pk: 1}})

    def test_a_decision_without_a_known_reviewer_gets_its_own_row_and_times(self):
        decided = factories.when("2025-03-06 09:00")
        for number, hours in enumerate((4, 6), start=1):
            ReviewStat.objects.create(
                task_state_id=990 + number,
                page_id=self.a3.pk,
                channel_id=self.kepu.pk,
                reporter_id=self.other_reporter.pk,
                reviewer_id=None,
                task_name="三审",
                decision="approved",
                started_at=decided - timedelta(hours=hours),
                decided_at=decided,
                duration_seconds=hours * HOUR,
            )
        report = self.report()
        unknown = {row["name"]: row for row in report.by_reviewer}["未注明"]
        self.assertEqual(unknown["decisions"], 2)
        self.assertAlmostEqual(unknown["median"], 5 * HOUR)
        self.assertAlmostEqual({row["task_name"]: row for row in report.by_stage}["三审"]["p90"], 5.8 * HOUR)
        self.assertEqual(report.review_totals["decisions"], 8)

    def test_more_reviewers_and_stages_cost_no_extra_queries(self):
        with CaptureQueriesContext(connection) as before:
            self.report()
        decided = factories.when("2025-03-06 09:00")
        for number in range(5):
            ReviewStat.objects.create(
                task_state_id=980 + number,
                page_id=self.a3.pk,
                channel_id=self.kepu.pk,
                reporter_id=self.other_reporter.pk,
                reviewer_id=self.chief.pk + 100 + number,
                task_name=f"第{number}审",
                decision="rejected",
                started_at=decided - timedelta(hours=1),
                decided_at=decided,
                duration_seconds=HOUR,
            )
        with CaptureQueriesContext(connection) as after:
            report = self.report()
        self.assertEqual(len(after), len(before))
        self.assertEqual(len(report.by_stage), 7)
