"""The 审校 content checks: each rule on the mistakes it must catch and the correct text it must leave alone."""

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from articles.importing import LOOKS_LIKE_HTML
from newsroom.checks import Finding, WordList, body_text, check_article, check_fields, shipped_typos
from newsroom.checks.rules.typos import read_pairs
from newsroom.checks.text import html_lines

DEMO = Path(__file__).resolve().parents[2] / "demo"


def found(text, rule, **options):
    return [(f.text, f.level, f.suggestion) for f in check_fields({"body": text}, **options) if f.rule == rule]


# Word lists


def test_word_list_finds_every_word_with_its_level_and_note():
    words = WordList([("测试敏感词", "block", "演示"), ("内部资料", "warn", "")])
    assert [m[2:] for m in words.find("一份内部资料里的测试敏感词")] == [
        ("内部资料", "warn", ""),
        ("测试敏感词", "block", "演示"),
    ]


def test_word_list_ignores_latin_case_and_full_width_forms():
    text = "下载ＶＰＮ和vpn"
    assert [(start, end) for start, end, *_ in WordList([("VPN", "warn", "")]).find(text)] == [(2, 5), (6, 9)]


def test_word_list_cannot_be_changed_after_compiling():
    words = WordList([("某词", "warn", "")])
    with pytest.raises(AttributeError):
        words._size = 0


def test_word_list_rejects_an_unknown_level():
    with pytest.raises(ValueError):
        WordList([("某词", "severe", "")])


# 敏感词


def test_sensitive_word_is_reported_with_level_and_note():
    words = WordList([("测试敏感词", "block", "演示用")])
    (finding,) = check_fields({"title": "这是测试敏感词"}, word_list=words)
    assert finding == Finding("sensitive", "block", "title", 2, 7, "测试敏感词", "敏感词:测试敏感词(演示用)")


def test_word_inside_a_longer_listed_word_is_one_finding():
    words = WordList([("违禁词", "warn", ""), ("某某违禁词", "block", "")])
    assert found("出现某某违禁词", "sensitive", word_list=words) == [("某某违禁词", "block", "")]


def test_block_word_inside_a_warn_word_is_still_blocked():
    words = WordList([("内部资料", "warn", ""), ("资料", "block", "")])
    assert found("内部资料", "sensitive", word_list=words) == [("内部资料", "warn", ""), ("资料", "block", "")]


def test_no_word_list_means_no_sensitive_findings():
    assert found("任何文字", "sensitive") == []


# 错别字


@pytest.mark.parametrize(
    ("text", "wrong", "right"),
    [
        ("我们要再接再励。", "再接再励", "再接再厉"),
        ("大家按步就班地工作", "按步就班", "按部就班"),
        ("他一愁莫展", "一愁莫展", "一筹莫展"),
        ("席间谈笑风声", "谈笑风声", "谈笑风生"),
        ("建筑美仑美奂", "美仑美奂", "美轮美奂"),
        ("田间焚烧秸杆", "秸杆", "秸秆"),
    ],
)
def test_typo_pair_suggests_the_right_form(text, wrong, right):
    assert found(text, "typo") == [(wrong, "warn", right)]


@pytest.mark.parametrize(
    "text",
    [
        "大家迫不及待地打开了礼物。",  # correct idiom
        "这次再接再厉,争取更好成绩。",
        "按装机容量计算,电站规模居全省前列。",  # 按装 across a word boundary
        "他不能自己决定这件事。",
        "既使得产业升级,又改善了环境。",
        "我们必须品尝失败的滋味。",
        "太原到朔州的高速公路。",
        "全面推进生态补偿试点。",
        "山西省正在堪察加半岛考察。",
    ],
)
def test_correct_text_that_shares_characters_with_a_typo_is_not_flagged(text):
    assert found(text, "typo") == []


def test_longest_typo_wins_when_two_overlap():
    site = WordList([("声名狼籍", "warn", "声名狼藉"), ("狼籍", "warn", "狼藉")])
    assert found("他声名狼籍", "typo", typo_list=site) == [("声名狼籍", "warn", "声名狼藉")]


def test_site_typo_list_extends_the_shipped_one():
    site = WordList([("生态环竟", "warn", "生态环境")])
    assert found("保护生态环竟,再接再励", "typo", typo_list=site) == [
        ("生态环竟", "warn", "生态环境"),
        ("再接再励", "warn", "再接再厉"),
    ]


def test_shipped_typo_list_has_several_hundred_distinct_pairs():
    pairs = read_pairs()
    assert len(pairs) >= 300
    assert len({wrong for wrong, _ in pairs}) == len(pairs)
    assert all(len(wrong) >= 2 and wrong != right for wrong, right in pairs)
    assert len(shipped_typos()) == len(pairs)


def test_no_right_form_of_the_shipped_list_is_flagged():
    everything_right = "。".join(right for _, right in read_pairs())
    assert found(everything_right, "typo") == []


def test_shipped_typos_are_compiled_once():
    assert shipped_typos() is shipped_typos()


# 广告法


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("本店销售最好的产品", "最好的产品"),
        ("是您的最佳选择", "最佳选择"),
        ("国家级品质,值得信赖", "国家级品质"),
        ("顶级口感", "顶级口感"),
        ("行业第一品牌", "第一品牌"),
        ("全网第一的净水器", "全网第一"),
        ("连续三年销量第一", "销量第一"),
        ("祛痘100%有效", "100%有效"),
        ("史无前例的优惠", "史无前例的优惠"),
        ("极品好茶", "极品"),
    ],
)
def test_absolute_claims_in_advertising_are_flagged(text, term):
    assert found(text, "ad_law") == [(term, "warn", "")]


@pytest.mark.parametrize(
    "text",
    [
        "这是他第一次来到山西。",
        "现在是植树造林最好的时机。",
        "市民最好错峰出行。",
        "十月是最佳观鸟期。",
        "山西芦芽山国家级自然保护区",
        "汾河国家级湿地公园和太原国家级森林公园",
        "五台山国家级风景名胜区、国家级非物质文化遗产",
        "打造世界级旅游目的地",
        "这是一场史无前例的洪水。",
        "论文发表在顶级期刊上。",
    ],
)
def test_ordinary_news_language_is_not_an_advertising_claim(text):
    assert found(text, "ad_law") == []


# 个人信息


def test_valid_id_number_is_blocked_and_masked():
    assert found("身份证号11010519491231002X。", "personal_data") == [
        ("11010519491231002X", "block", "110105********002X")
    ]


def test_id_number_with_a_wrong_check_digit_is_left_alone():
    assert found("编号110105194912310021。", "personal_data") == []


def test_id_number_with_an_impossible_birth_date_is_left_alone():
    assert found("编号110105194913310028。", "personal_data") == []


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("联系电话13812345678。", "138****5678"),
        ("电话 138-1234-5678", "138-****-5678"),
        ("电话+8613912345678", "+86139****5678"),
    ],
)
def test_mobile_numbers_are_blocked_and_masked(text, masked):
    assert [suggestion for *_, suggestion in found(text, "personal_data")] == [masked]


def test_full_width_digits_do_not_hide_a_mobile_number():
    assert len(found("电话１３８１２３４５６７８", "personal_data")) == 1


@pytest.mark.parametrize(
    "text",
    [
        "订单号202311381234567890123",  # a phone-like run inside a longer number
        "项目投资13500000000元",  # an amount
        "座机0351-1234567",
        "电话1381234****",
        "卡号6222********1234",
        "身份证110101********1234",
        "统一社会信用代码91140100MA0K1234X7",
    ],
)
def test_numbers_that_are_not_personal_data_are_left_alone(text):
    assert found(text, "personal_data") == []


def test_bank_card_number_passing_luhn_is_blocked_and_masked():
    assert found("卡号6222021234567890128", "personal_data") == [
        ("6222021234567890128", "block", "6222***********0128")
    ]
    assert found("卡号 4111 1111 1111 1111", "personal_data") == [
        ("4111 1111 1111 1111", "block", "4111 **** **** 1111")
    ]


def test_card_length_number_failing_luhn_is_left_alone():
    assert found("流水号6222021234567890127", "personal_data") == []


# 转载来源


def test_reprint_without_original_title_and_author_is_blocked_twice():
    findings = check_fields({"title": "标题"}, source_name="人民日报")
    assert [(f.rule, f.level, f.field, f.start, f.end) for f in findings] == [
        ("provenance", "block", "source_name", 0, 0),
        ("provenance", "block", "source_name", 0, 0),
    ]
    assert "原标题" in findings[0].reason and "原作者" in findings[1].reason
    assert all("互联网新闻信息服务管理规定" in f.reason for f in findings)


def test_reprint_with_original_title_and_author_passes():
    assert check_fields({}, source_name="人民日报", original_title="原题", original_author="张三") == []


@pytest.mark.parametrize("source", ["", "生态山西", "本网", "本站"])
def test_own_stories_need_no_original_title(source):
    assert check_fields({}, source_name=source, own_outlets=["生态山西"]) == []


# 标点


@pytest.mark.parametrize(
    ("text", "marks"),
    [
        ("你好,世界", [(",", "\uff0c")]),
        ("真的吗?是的!", [("?", "\uff1f"), ("!", "\uff01")]),
        ("时间:上午", [(":", "\uff1a")]),
        ("细颗粒物(PM2.5)浓度", [("(", "\uff08"), (")", "\uff09")]),
    ],
)
def test_half_width_marks_in_chinese_get_the_full_width_form(text, marks):
    assert [(t, s) for t, _, s in found(text, "punctuation")] == marks


@pytest.mark.parametrize(
    "text",
    [
        "比分3:2\uff0c10:30开赛\uff0c共1,000人",
        "详见 https://example.com/a?b=1&c=2:3 页面",
        "见https://example.com/search?q=1页面",
        "He said: hello, world! (really?)",
        "“绿水青山就是金山银山。”",
        "《中华人民共和国黄河保护法》\uff08以下简称《黄河保护法》\uff09",
    ],
)
def test_latin_numbers_urls_and_paired_marks_are_fine(text):
    assert found(text, "punctuation") == []


@pytest.mark.parametrize(
    ("text", "mark"),
    [("他说:“走吧。", "“"), ("走吧。”他说", "”"), ("《黄河保护法正式施行", "《"), ("见附表】", "】")],
)
def test_unpaired_quotes_and_brackets_are_flagged(text, mark):
    assert [t for t, _, _ in found(text, "punctuation") if t == mark] == [mark]


def test_a_quotation_over_several_paragraphs_opens_each_and_closes_once():
    text = "他说:\n“第一段。\n“第二段。\n“第三段。”"
    assert [t for t, _, _ in found(text, "punctuation") if t in "“”"] == []


# Plain text and articles


def test_body_text_is_one_line_per_text_block():
    raw = [
        {"type": "paragraph", "value": "<p>第一段 &amp; <b>加粗</b></p><p>第二段</p>"},
        {"type": "heading", "value": {"text": "小标题", "size": "h2"}},
        {"type": "image", "value": {"image": 1, "caption": "图片说明", "credit": "摄影"}},
        {"type": "quote", "value": {"text": "引文", "attribution": "出处"}},
        {"type": "table", "value": {"table": {"data": [["甲", "乙"], ["丙", None]]}, "caption": "表题"}},
    ]
    assert body_text(raw) == "第一段 & 加粗\n第二段\n小标题\n图片说明\n摄影\n引文\n出处\n甲 乙\n丙\n表题"


def test_offsets_point_into_the_body_text():
    page = SimpleNamespace(
        title="标题",
        summary="",
        source_name="",
        original_author="",
        body=SimpleNamespace(raw_data=[{"type": "paragraph", "value": "<p>第一段</p><p>电话13812345678</p>"}]),
    )
    (finding,) = [f for f in check_article(page) if f.rule == "personal_data"]
    assert body_text(page.body.raw_data)[finding.start : finding.end] == "13812345678"
    assert finding.field == "body"


def test_findings_are_sorted_by_field_then_offset():
    findings = check_fields({"title": "再接再励", "body": "按步就班,再接再励"}, source_name="人民日报")
    assert [(f.field, f.start) for f in findings] == [
        ("title", 0),
        ("body", 0),
        ("body", 4),
        ("body", 5),
        ("source_name", 0),
        ("source_name", 0),
    ]


def test_finding_as_dict_is_json_ready():
    finding = check_fields({"body": "再接再励"})[0]
    assert json.loads(json.dumps(finding.as_dict(), ensure_ascii=False)) == {
        "rule": "typo",
        "level": "warn",
        "field": "body",
        "start": 0,
        "end": 4,
        "text": "再接再励",
        "reason": "疑似错别字:应为“再接再厉”",
        "suggestion": "再接再厉",
    }


# The demo


def demo_texts():
    content = json.loads((DEMO / "content.json").read_text(encoding="utf-8"))
    for article in content["articles"]:
        reprint = {key: article.get(key, "") for key in ("source_name", "original_title", "original_author")}
        yield article["slug"], {"title": article["title"], "body": "\n".join(article["body"])}, reprint
    for archive in sorted(DEMO.rglob("*.jsonl")):
        for number, line in enumerate(archive.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                row = json.loads(line)
                body = row.get("body") or ""
                body = "\n".join(html_lines(body)) if LOOKS_LIKE_HTML.search(body) else body
                fields = {"title": row.get("title") or "", "summary": row.get("summary") or "", "body": body}
                reprint = {
                    "source_name": row.get("source") or "",
                    "original_title": row.get("original_title") or "",
                    "original_author": row.get("author") or "",
                }
                yield f"{archive.name}:{number}", fields, reprint


def demo_word_list():
    content = json.loads((DEMO / "content.json").read_text(encoding="utf-8"))
    entries = content.get("sensitive_words") or []
    return WordList((entry["word"], entry["level"], entry.get("note", "")) for entry in entries)


def test_demo_content_has_nothing_that_blocks_publishing():
    words = demo_word_list()
    blocked = {
        name: [
            (f.rule, f.text)
            for f in check_fields(fields, word_list=words, own_outlets=["生态山西", "本网", "本站"], **reprint)
            if f.level == "block"
        ]
        for name, fields, reprint in demo_texts()
    }
    assert blocked and not any(blocked.values()), blocked
