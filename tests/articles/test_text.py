"""Cutting titles and excerpts by display width: a Chinese character is two columns, a Latin letter one."""

from django.template import Context, Template
from django.test import SimpleTestCase

from articles.text import cut_width, display_width, plain_text

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧, one picture made of three people
THUMBS_UP_MEDIUM = "\U0001f44d\U0001f3fd"  # 👍🏽, thumbs up with a skin-tone modifier


class DisplayWidthTests(SimpleTestCase):
    def test_chinese_characters_take_two_columns(self):
        self.assertEqual(display_width("生态山西"), 8)

    def test_latin_letters_digits_and_ascii_punctuation_take_one_column(self):
        self.assertEqual(display_width("PM2.5"), 5)

    def test_full_width_punctuation_takes_two_columns(self):
        self.assertEqual(display_width("\uff0c\uff1a\uff08\uff09"), 8)  # ,:()

    def test_emoji_takes_two_columns(self):
        self.assertEqual(display_width("\U0001f333"), 2)

    def test_skin_tone_modifier_adds_no_column(self):
        self.assertEqual(display_width(THUMBS_UP_MEDIUM), 2)

    def test_zwj_sequence_is_one_two_column_picture(self):
        self.assertEqual(display_width(FAMILY), 2)

    def test_combining_mark_adds_no_column(self):
        self.assertEqual(display_width("cafe\u0301"), 4)


class CutWidthTests(SimpleTestCase):
    def test_text_that_fits_is_returned_whole_without_ellipsis(self):
        self.assertEqual(cut_width("山西着力打造氢能产业高地", 24, "......"), "山西着力打造氢能产业高地")

    def test_text_exactly_at_the_width_is_not_cut(self):
        self.assertEqual(cut_width("PM2.5浓度", 9, "..."), "PM2.5浓度")

    def test_chinese_text_is_cut_to_the_exact_number_of_columns(self):
        self.assertEqual(cut_width("山西省自然资源厅党组书记", 10), "山西省自然")

    def test_odd_width_never_cuts_a_chinese_character_in_half(self):
        self.assertEqual(cut_width("山西省自然资源厅", 9), "山西省自")

    def test_mixed_chinese_latin_and_digits_count_their_own_widths(self):
        self.assertEqual(cut_width("2022年PM2.5浓度下降14%", 11), "2022年PM2.5")
        self.assertEqual(cut_width("2022年PM2.5浓度下降14%", 12), "2022年PM2.5")
        self.assertEqual(cut_width("2022年PM2.5浓度下降14%", 13), "2022年PM2.5浓")
        self.assertEqual(cut_width("2022年PM2.5浓度下降14%", 21), "2022年PM2.5浓度下降14")

    def test_ellipsis_is_added_only_when_text_was_cut_and_fits_in_the_width(self):
        cut = cut_width("一二三四五六七八九十", 10, "......")
        self.assertEqual(cut, "一二......")
        self.assertEqual(display_width(cut), 10)

    def test_ellipsis_is_not_added_to_text_that_fits(self):
        self.assertEqual(cut_width("一二三", 6, "......"), "一二三")

    def test_emoji_is_never_split_from_its_skin_tone_modifier(self):
        self.assertEqual(cut_width(f"{THUMBS_UP_MEDIUM}好评", 2), THUMBS_UP_MEDIUM)
        self.assertEqual(cut_width(f"a{THUMBS_UP_MEDIUM}b", 3), f"a{THUMBS_UP_MEDIUM}")
        self.assertEqual(cut_width(f"a{THUMBS_UP_MEDIUM}b", 2), "a")

    def test_zwj_sequence_is_kept_whole_or_left_out(self):
        self.assertEqual(cut_width(f"{FAMILY}出游", 4), f"{FAMILY}出")
        self.assertEqual(cut_width(f"{FAMILY}出游", 2), FAMILY)
        self.assertEqual(cut_width(f"好{FAMILY}", 3), "好")

    def test_combining_mark_stays_with_its_letter(self):
        self.assertEqual(cut_width("cafe\u0301s", 4), "cafe\u0301")

    def test_html_entity_counts_as_the_one_character_it_stands_for(self):
        self.assertEqual(cut_width("A&amp;B", 3), "A&B")
        self.assertEqual(cut_width("A&amp;B&amp;C", 2), "A&")

    def test_html_entity_is_never_split(self):
        for width in range(1, 6):
            with self.subTest(width=width):
                cut = cut_width("&amp;&amp;&amp;&amp;&amp;", width)
                self.assertEqual(cut, "&" * width)
                self.assertNotIn("&a", cut)

    def test_whitespace_runs_become_single_spaces_and_no_trailing_space_before_ellipsis(self):
        self.assertEqual(cut_width("生态  山西\n新闻", 12), "生态 山西 新")
        self.assertEqual(cut_width("生态 山西", 6, "…"), "生态…")

    def test_empty_and_missing_values_give_empty_text(self):
        self.assertEqual(cut_width("", 10, "......"), "")
        self.assertEqual(cut_width(None, 10, "......"), "")


class CutWidthFilterTests(SimpleTestCase):
    def render(self, template, **context):
        return Template("{% load article_tags %}" + template).render(Context(context))

    def test_filter_cuts_to_width_with_optional_ending(self):
        rendered = self.render('{{ text|cut_width:"10,......" }}', text="一二三四五六七八九十")
        self.assertEqual(rendered, "一二......")

    def test_filter_escapes_ampersand_once_after_cutting(self):
        self.assertEqual(self.render("{{ text|cut_width:3 }}", text="A&amp;B"), "A&amp;B")
        self.assertEqual(self.render("{{ text|cut_width:2 }}", text="A&B<C"), "A&amp;")

    def test_filter_escapes_markup_in_titles(self):
        self.assertEqual(self.render("{{ text|cut_width:20 }}", text="<b>标题</b>"), "&lt;b&gt;标题&lt;/b&gt;")


class PlainTextTests(SimpleTestCase):
    def test_plain_text_drops_tags_decodes_entities_and_collapses_whitespace(self):
        self.assertEqual(plain_text("<p>黄河&amp;汾河</p>\n<p> 保护 <b>法</b></p>"), "黄河&汾河 保护 法")
