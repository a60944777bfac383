"""Policy pages for tests and the access matrix, made through the services as the people who act:
HR (``hr``) writes, the HR supervisor (``hrsup``) approves, HR publishes."""

from __future__ import annotations

from typing import Any

from jixiao.people.handbook import services
from jixiao.people.handbook.models import PolicyPage, PolicyVersion

TEXT_V1 = """# 考核申诉制度

## 第一条 适用范围
本制度适用于公司全体员工。

## 第二条 申诉期限
结果公布后 5 个工作日内提出申诉。

## 第三条 处理
人力资源部受理后指派复核人。"""

TEXT_V2 = TEXT_V1.replace("5 个工作日", "7 个工作日").replace(
    "人力资源部受理后指派复核人。", "人力资源部受理后指派复核人。\n\n## 第四条 结果\n组长决定维持或调整。"
)


def published(p: Any, body: str = TEXT_V1, title: str = "考核申诉制度") -> PolicyVersion:
    """A policy page with its first version published."""
    draft = services.policy_create(
        user=p["hr"], data={"title": title, "body": body, "change_note": "首次发布"}
    )
    return publish(p, draft)


def publish(p: Any, version: PolicyVersion) -> PolicyVersion:
    for who, action in (("hr", "submit"), ("hrsup", "approve"), ("hr", "publish")):
        version = services.version_step(user=p[who], version=version, action=action)
    return version


def revised(
    p: Any, page: PolicyPage, body: str = TEXT_V2, note: str = "申诉期限延长到 7 个工作日"
) -> PolicyVersion:
    """The next version of ``page`` started from its published text, edited (a draft)."""
    draft = services.version_start(user=p["hr"], page=page)
    return services.version_update(
        user=p["hr"], version=draft, data={"title": draft.title, "body": body, "change_note": note},
        expected_version=draft.version,
    )  # fmt: skip


def two_versions_and_a_draft(p: Any) -> dict[str, Any]:
    """Version 1 superseded by version 2 (published), and version 3 a draft (the same page when
    one was made already: the access matrix asks several times in one database)."""
    made = PolicyVersion.objects.filter(page__title="考核申诉制度", number=3).first()
    if made is not None:
        versions = {v.number: v for v in made.page.versions.all()}
        return {"page": made.page, "v1": versions[1], "v2": versions[2], "v3": versions[3]}
    first = published(p)
    second = publish(p, revised(p, first.page))
    third = revised(p, first.page, body=TEXT_V2 + "\n第五条 附则。", note="附则")
    for version in (first, second):
        version.refresh_from_db()
    return {"page": PolicyPage.objects.get(pk=first.page_id), "v1": first, "v2": second, "v3": third}
