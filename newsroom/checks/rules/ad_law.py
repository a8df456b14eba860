"""广告法: absolute claims that 《广告法》第九条 forbids in advertising (最佳, 国家级, 第一品牌, 100%有效 …).

A news portal prints these words every day in their ordinary sense: "最好错峰出行", "最佳观鸟期",
"第一次", "史无前例的洪水", "国家级自然保护区" (a legal designation), "顶级期刊". So only two kinds are
flagged, both as a warning for the editor to judge (a 软文 or an advertorial slipping into a story):
claims that exist only in selling ("第一品牌", "销量第一", "100%有效"), and superlatives that praise a
product, a brand or a price ("最好的产品", "国家级品质", "顶级口感").
"""

import re

from ..findings import Finding

SELLING_CLAIMS = (
    "第一品牌",
    "领导品牌",
    "王牌产品",
    "全网第一",
    "全网最低",
    "全网销量第一",
    "销量第一",
    "销量冠军",
    "销冠",
    "史上最低价",
    "独家配方",
    "极品",
    "100%有效",
    "100%纯天然",
    "百分之百有效",
    "无效退款",
    "药到病除",
    "永不反弹",
    "稳赚不赔",
)
SUPERLATIVES = (
    "最佳",
    "最好",
    "最优",
    "最强",
    "最先进",
    "最高级",
    "顶级",
    "极致",
    "首选",
    "国家级",
    "世界级",
    "全球级",
    "史无前例",
)
# What a product advertisement praises; a superlative before one of these is a selling claim.
GOODS = (
    "产品",
    "商品",
    "品牌",
    "品质",
    "口感",
    "配方",
    "疗效",
    "功效",
    "价格",
    "价位",
    "低价",
    "优惠",
    "折扣",
    "性价比",
    "选择",
    "货源",
    "材质",
    "用料",
    "礼品",
    "保健品",
    "化妆品",
    "护肤品",
)

_SELLING = re.compile("|".join(map(re.escape, sorted(SELLING_CLAIMS, key=len, reverse=True))), re.IGNORECASE)
# "最好的产品", "国家级品质", "史无前例的优惠": at most "的" between the superlative and the goods.
_PRAISE = re.compile(
    "(?:" + "|".join(map(re.escape, SUPERLATIVES)) + ")(?:的)?(?:" + "|".join(map(re.escape, GOODS)) + ")"
)


def check(field, text, folded=None):
    source = folded if folded is not None else text
    found = []
    for match in _SELLING.finditer(source):
        found.append((match.start(), match.end()))
    for match in _PRAISE.finditer(source):
        if not any(s < match.end() and match.start() < e for s, e in found):
            found.append((match.start(), match.end()))
    found.sort()
    return [
        Finding(
            "ad_law",
            "warn",
            field,
            start,
            end,
            text[start:end],
            f"《广告法》禁用的绝对化用语:“{text[start:end]}”;如为广告或推广内容须删改",
        )
        for start, end in found
    ]
