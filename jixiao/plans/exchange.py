"""Plans in and out of files: TOML (``docs/formats.md``) and Excel, both ways, losslessly.

A plan exported to either format and imported back yields the same content. Excel keeps one
indicator per row; band tables and rubric levels sit in one cell, a line each, written the
same way as in the plan editor (``下限,上限,得分`` and ``代码|名称|得分|描述``).
"""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse

from jixiao.common.errors import JixiaoError
from jixiao.common.excel import read_xlsx, write_xlsx
from jixiao.common.spreadsheet import check_upload, uploaded_path
from jixiao.engine import toml_format

from .adapters import canonical_plan_content, plan_table
from .import_errors import toml_format_error, toml_syntax_error, xlsx_format_error
from .models import Plan, Status

# The plan templates and the default framework the product ships (the demo reads them too).
DATA_DIR = Path(__file__).resolve().parent / "data"
TEMPLATES = {
    "tpl_customer_service": "plan_customer_service.toml",
    "tpl_marketing": "plan_marketing.toml",
    "tpl_production": "plan_production.toml",
}
INDICATOR_COLUMNS = [
    ("key", "代码"), ("name_zh", "指标名称"), ("category", "类别"), ("kind", "类型"), ("weight", "权重"),
    ("target", "目标值"), ("unit", "单位"), ("source", "数据来源"), ("raters", "评分人"), ("evidence", "证据要求"),
    ("measure", "数据项"), ("cap", "封顶"), ("floor", "最低分"), ("points_per_event", "每次分值"),
    ("max_points", "分值上限"), ("formula", "公式"), ("score_as", "公式结果按"), ("veto_grade", "否决后最高等级"),
    ("veto_voids_bonus", "否决取消奖金"), ("description_zh", "说明"), ("name_en", "英文名称"), ("bands", "分档表"),
    ("levels", "等级"), ("on_zero", "除数为零时"), ("direction", "方向"),
]  # fmt: skip
MEASURE_COLUMNS = [
    ("key", "代码"),
    ("name_zh", "名称"),
    ("name_en", "英文名称"),
    ("unit", "单位"),
    ("source", "来源"),
    ("kind", "数据类型"),
    ("min", "最小值"),
    ("max", "最大值"),
]
ROW_FIELDS = {"key", "name_zh", "framework", "department", "positions", "version"}


# -- TOML --------------------------------------------------------------------------------


def to_toml(root: str, table: dict[str, Any]) -> str:
    """Write ``{root: table}`` as TOML: scalars first, then sub-tables, then arrays of tables."""
    lines: list[str] = []
    _emit(lines, root, table, array=False)
    return "\n".join(lines).strip() + "\n"


def _emit(lines: list[str], path: str, table: dict[str, Any], *, array: bool) -> None:
    lines.append(f"\n[[{path}]]" if array else f"\n[{path}]")
    nested: list[tuple[str, Any]] = []
    for key, value in table.items():
        if isinstance(value, dict) or (
            isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
        ):
            nested.append((key, value))
        else:
            lines.append(f"{_key(key)} = {_value(value)}")
    for key, value in nested:
        if isinstance(value, dict):
            _emit(lines, f"{path}.{_key(key)}", value, array=False)
        else:
            for item in value:
                _emit(lines, f"{path}.{_key(key)}", item, array=True)


def _key(key: str) -> str:
    return (
        key
        if key.replace("_", "").replace("-", "").isalnum() and key.isascii()
        else json.dumps(key, ensure_ascii=False)
    )


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return json.dumps(str(value))
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def content_from_toml(text: str, root: str = "plan") -> dict[str, Any]:
    """The ``[plan]`` (or ``[pay]``) table of a TOML file, checked by the engine's reader;
    fields that belong to the row (key, name, department …) are dropped. A refusal names the
    line (and column) in a sentence of each language (``import_errors``)."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise toml_syntax_error(error, text) from error
    try:
        data = toml_format.parse(text)
        if toml_format.detect_kind(data) != root:
            raise toml_format.FormatError("", f"文件应含 [{root}] 表", f"the file must hold a [{root}] table")
        if root == "plan":
            toml_format.plan_from_dict(data)
        else:
            toml_format.pay_from_dict(data)
    except toml_format.FormatError as error:
        raise toml_format_error(error, text) from error
    table = {k: v for k, v in data[root].items() if k not in ROW_FIELDS}
    return canonical_plan_content(table) if root == "plan" else table


# -- Excel -------------------------------------------------------------------------------


def to_xlsx(plan: Plan) -> bytes:
    table = plan_table(plan)
    meta = [
        ["方案名称", plan.name],
        ["编码", plan.code],
        ["版本", str(plan.number)],
        ["部门", plan.department.name],
        ["考核总框架", plan.framework.code],
        ["状态", str(plan.get_status_display())],
    ]
    extra = {k: v for k, v in table.items() if k not in ROW_FIELDS | {"indicators", "measures"}}
    if extra:
        meta.append(["其他设置（JSON）", json.dumps(extra, ensure_ascii=False)])
    indicators = [
        [_cell(field, ind.get(field)) for field, _ in INDICATOR_COLUMNS]
        for ind in table.get("indicators", [])
    ]
    measures = [[str(m.get(field, "")) for field, _ in MEASURE_COLUMNS] for m in table.get("measures", [])]
    buffer = write_xlsx(
        {
            "方案": (["项目", "内容"], meta),
            "指标": ([title for _, title in INDICATOR_COLUMNS], indicators),
            "数据项": ([title for _, title in MEASURE_COLUMNS], measures),
        }
    )
    return buffer.getvalue()


def _cell(field: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if field == "raters":
        return ",".join(value)
    if field == "veto_voids_bonus":
        return "是" if value else ""
    if field == "bands":
        return "\n".join(f"{b.get('lower', '')},{b.get('upper', '')},{b.get('points', '')}" for b in value)
    if field == "levels":
        return "\n".join(
            "|".join(str(lv.get(k, "")) for k in ("key", "name_zh", "points", "description_zh")).rstrip("|")
            for lv in value
        )
    return str(value)


def content_from_xlsx(path: Path) -> dict[str, Any]:
    """The plan a workbook holds, checked by the engine's reader; a refusal names the sheet, row
    and column header the value came from."""
    content = _content_from_sheets(read_xlsx(path))
    try:
        toml_format.plan_from_dict({"plan": {"key": "import", "name_zh": "import", **content}})
    except toml_format.FormatError as error:
        titles = {field: title for field, title in INDICATOR_COLUMNS}
        raise xlsx_format_error(error, titles, {field: title for field, title in MEASURE_COLUMNS}) from error
    return content


def _content_from_sheets(sheets: dict[str, list[list[Any]]]) -> dict[str, Any]:
    if "指标" not in sheets:
        raise JixiaoError(
            zh="文件中没有“指标”工作表。", en="The workbook has no sheet named 指标 (indicators)."
        )
    content: dict[str, Any] = {}
    for row in sheets.get("方案", [])[1:]:
        if row and row[0] == "其他设置（JSON）" and len(row) > 1 and row[1]:
            content.update(json.loads(str(row[1])))
    titles = {title: field for field, title in INDICATOR_COLUMNS}
    content["indicators"] = [
        _indicator_from_row(titles, sheets["指标"][0], row) for row in sheets["指标"][1:] if any(row)
    ]
    measure_titles = {title: field for field, title in MEASURE_COLUMNS}
    measures = [
        {
            measure_titles[str(t)]: str(v)
            for t, v in zip(sheets["数据项"][0], row, strict=False)
            if v not in (None, "") and str(t) in measure_titles
        }
        for row in sheets.get("数据项", [[]])[1:]
        if any(row)
    ]
    if measures:
        content["measures"] = measures
    return content


def _indicator_from_row(titles: dict[str, str], header: list[Any], row: list[Any]) -> dict[str, Any]:
    indicator: dict[str, Any] = {}
    for title, value in zip(header, row, strict=False):
        field = titles.get(str(title))
        if field is None or value in (None, ""):
            continue
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        if field == "raters":
            indicator[field] = [r.strip() for r in text.split(",") if r.strip()]
        elif field == "veto_voids_bonus":
            indicator[field] = text in {"是", "true", "1", "yes"}
        elif field == "bands":
            indicator[field] = [_band(line) for line in text.splitlines() if line.strip()]
        elif field == "levels":
            indicator[field] = [_level(line) for line in text.splitlines() if line.strip()]
        else:
            indicator[field] = text
    return indicator


def _band(line: str) -> dict[str, str]:
    lower, upper, points = ([part.strip() for part in line.split(",")] + ["", ""])[:3]
    band = {"lower": lower, "upper": upper, "points": points}
    return {key: value for key, value in band.items() if value or key == "points"}


def _level(line: str) -> dict[str, str]:
    parts = line.split("|")
    level = {
        "key": parts[0].strip(),
        "name_zh": parts[1].strip() if len(parts) > 1 else "",
        "points": parts[2].strip() if len(parts) > 2 else "",
    }
    if len(parts) > 3 and "|".join(parts[3:]).strip():
        level["description_zh"] = "|".join(parts[3:]).strip()
    return level


# -- what the views call -----------------------------------------------------------------


def plan_download(plan: Plan, fmt: str) -> HttpResponse:
    if fmt == "toml":
        root = "pay" if plan.kind == Plan.Kind.PAY else "plan"
        table = (
            plan_table(plan) if root == "plan" else {"key": plan.code, "name_zh": plan.name, **plan.content}
        )
        response = HttpResponse(to_toml(root, table), content_type="application/toml; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{plan.code}-v{plan.number}.toml"'
        return response
    if fmt == "xlsx" and plan.kind == Plan.Kind.APPRAISAL:
        response = HttpResponse(
            to_xlsx(plan), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{plan.code}-v{plan.number}.xlsx"'
        return response
    raise JixiaoError(zh="只能导出为 toml 或 xlsx。", en="Export as toml or xlsx.", status=404)


def content_from_upload(upload: UploadedFile[bytes], root: str = "plan") -> dict[str, Any]:
    """Read an uploaded plan (``.toml`` or ``.xlsx``) into content; refuse anything else clearly."""
    name = (upload.name or "").lower()
    check_upload(upload)
    if name.endswith(".toml"):
        try:
            return content_from_toml(b"".join(upload.chunks()).decode("utf-8"), root)
        except UnicodeDecodeError as error:
            raise JixiaoError(
                zh="TOML 文件应为 UTF-8 编码，请用文本编辑器另存为 UTF-8 后再上传。",
                en="A TOML file must be UTF-8; save it as UTF-8 in a text editor and upload again.",
                code="encoding",
            ) from error
    if name.endswith(".xlsx") and root == "plan":
        with uploaded_path(upload, ".xlsx") as path:
            return content_from_xlsx(path)
    if root != "plan":
        raise JixiaoError(zh="请上传 .toml 文件。", en="Upload a .toml file.", code="file_type")
    raise JixiaoError(zh="请上传 .toml 或 .xlsx 文件。", en="Upload a .toml or .xlsx file.", code="file_type")


def template_choices() -> list[tuple[str, str]]:
    """Starting points: the shipped plan templates and every published plan."""
    choices = [(key, _template_name(name)) for key, name in TEMPLATES.items() if (DATA_DIR / name).exists()]
    choices += [
        (f"plan_{p.pk}", f"{p.name} v{p.number}") for p in Plan.objects.filter(status=Status.PUBLISHED)
    ]
    return choices


def _template_name(filename: str) -> str:
    try:
        return str(toml_format.parse((DATA_DIR / filename).read_text("utf-8"))["plan"]["name_zh"])
    except (OSError, KeyError, toml_format.FormatError):
        return filename


def starting_content(start: str, upload: UploadedFile[bytes] | None) -> dict[str, Any]:
    if start == "blank":
        return {"indicators": []}
    if start == "file" and upload is not None:
        return content_from_upload(upload)
    if start in TEMPLATES:
        return content_from_toml((DATA_DIR / TEMPLATES[start]).read_text("utf-8"))
    if start.startswith("plan_") and start[5:].isdigit():
        source = Plan.objects.filter(pk=int(start[5:]), status=Status.PUBLISHED).first()
        if source is not None:
            return dict(source.content)
    raise JixiaoError(zh="请选择方案的起点。", en="Choose where the plan starts from.")


def default_framework_content() -> dict[str, Any]:
    """The shipped default framework as the starting point for a new one."""
    data = toml_format.parse((DATA_DIR / "framework.toml").read_text("utf-8"))
    return {k: v for k, v in data["framework"].items() if k not in {"key", "name_zh", "version"}}


def new_framework_code() -> str:
    from .models import Framework

    return f"framework-{Framework.objects.values('code').distinct().count() + 1}"
