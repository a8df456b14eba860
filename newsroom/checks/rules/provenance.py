"""转载来源: a reprint must name its original title and author.

《互联网新闻信息服务管理规定》第十五条: 转载新闻信息应当注明新闻信息来源、原作者、原标题、编辑真实姓名等,
并保证新闻信息来源可追溯. A source that is this site itself (its name, 本网, 本站) is not a reprint.
"""

from ..findings import Finding

ALWAYS_OWN = ("本网", "本站", "本报")
RULE = "《互联网新闻信息服务管理规定》第十五条要求转载稿件注明新闻信息来源、原作者、原标题"


def check(source_name, original_title, original_author, own_outlets):
    source = (source_name or "").strip()
    own = {name.strip() for name in (*ALWAYS_OWN, *own_outlets) if name and name.strip()}
    if not source or source in own:
        return []
    findings = []
    if not (original_title or "").strip():
        findings.append(
            Finding("provenance", "block", "source_name", 0, 0, "", f"转载自“{source}”但未填写原标题:{RULE}")
        )
    if not (original_author or "").strip():
        findings.append(
            Finding("provenance", "block", "source_name", 0, 0, "", f"转载自“{source}”但未填写原作者:{RULE}")
        )
    return findings
