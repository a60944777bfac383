"""What is wrong with an uploaded plan, said where the user can fix it: a TOML file by its line
(and column, for a syntax error, with tomllib's message put into a Chinese sentence), an Excel
workbook by its sheet, row and column header."""

from __future__ import annotations

import re
import tomllib

from jixiao.common.errors import JixiaoError, Problem
from jixiao.engine.toml_reader import FormatError

# tomllib's messages (Python 3.11+), by how they start, as Chinese sentences.
SYNTAX_ZH = (
    ("Invalid value", "值的写法不正确（文字要加英文双引号，数字不加，布尔值写 true 或 false）"),
    ("Expected '=' after a key", "键后面缺少“=”"),
    ("Invalid statement", "这一行既不是“键 = 值”，也不是 [表名]"),
    ("Cannot declare", "同一个表声明了两次"),
    ("Cannot overwrite a value", "同一个键写了两次"),
    ("Cannot mutate", "不能再往已写完的表里加键"),
    ("Duplicate inline table key", "行内表里同一个键写了两次"),
    ("Unclosed array", "数组缺少结尾的“]”"),
    ("Unclosed inline table", "行内表缺少结尾的“}”"),
    ("Unterminated string", "字符串缺少结尾的引号"),
    ("Illegal character", "字符串里有不允许的字符（换行请用三引号字符串）"),
    ("Found invalid character", "字符串里有不允许的字符"),
    ("Invalid initial character for a key part", "键名的写法不正确（中文或带空格的键名要加英文双引号）"),
    ("Expected newline or end of document", "一行只能写一个“键 = 值”"),
    ("Expected ']' at the end of a table", "表名缺少结尾的“]”"),
    ("Expected ']]' at the end of an array", "数组表名缺少结尾的“]]”"),
    ("Invalid date or datetime", "日期写法不正确，应写作 2026-01-31"),
    ("Invalid hex value", "转义字符写法不正确"),
    ("Unescaped", "字符串里的反斜杠“\\”要写成“\\\\”"),
)
AT = re.compile(r"^(?P<message>.*?)\s*\(at (?:line (?P<line>\d+), column (?P<column>\d+)|end of document)\)$")
INDEXED = re.compile(r"^(?P<name>[A-Za-z_]+)\[(?P<index>\d+)\]$")


def toml_syntax_error(error: tomllib.TOMLDecodeError, text: str) -> JixiaoError:
    """tomllib's refusal as a sentence in each language, naming the line and column."""
    found = AT.match(str(error))
    message = found["message"] if found else str(error)
    line = int(found["line"]) if found and found["line"] else max(1, text.count("\n") + 1)
    column = int(found["column"]) if found and found["column"] else 1
    zh = next((said for start, said in SYNTAX_ZH if message.startswith(start)), "这里的 TOML 写法不正确")
    return JixiaoError(
        zh=f"TOML 文件第 {line} 行第 {column} 列：{zh}。请改正后重新上传。",
        en=f"TOML file, line {line}, column {column}: {message}. Correct it and upload again.",
        code="toml_syntax",
        problems=[
            Problem(zh=f"第 {column} 列：{zh}", en=f"column {column}: {message}", where="TOML", row=line)
        ],
    )


def toml_format_error(error: FormatError, text: str) -> JixiaoError:
    """The engine's refusal of a parsed plan, with the line of the key it names (when found)."""
    line = line_of(text, error.path)
    place_zh = f"第 {line} 行（{error.path}）" if line else error.path
    place_en = f"line {line} ({error.path})" if line else error.path
    return JixiaoError(
        zh=f"TOML 文件{place_zh}：{error.message_zh}。请改正后重新上传。",
        en=f"TOML file, {place_en}: {error.message_en}. Correct it and upload again.",
        code="toml_format",
        problems=[Problem(zh=error.message_zh, en=error.message_en, where="TOML", row=line)],
    )


def line_of(text: str, path: str) -> int | None:
    """The line of ``text`` that writes ``path`` (``plan.indicators[1].weight``): the key's line
    inside the table it belongs to, or the table's header; None when it cannot be found."""
    parts = [p for p in path.split(".") if p]
    tables, key = parts, None
    if parts and not INDEXED.match(parts[-1]):
        tables, key = parts[:-1], parts[-1]
    start, end = _table_lines(text.splitlines(), tables)
    if start is None:
        return None
    if key is not None:
        lines = text.splitlines()
        for number in range(start, end):
            if re.match(rf'\s*"?{re.escape(key)}"?\s*=', lines[number]):
                return number + 1
    return start if start > 0 or not tables else start + 1


def _table_lines(lines: list[str], tables: list[str]) -> tuple[int | None, int]:
    """(first line index after the header, end index) of the table ``tables`` names."""
    plain = ".".join(INDEXED.sub(r"\g<name>", t) for t in tables)
    wanted = int(m["index"]) if tables and (m := INDEXED.match(tables[-1])) else None
    seen, start = -1, None if tables else 0
    for number, line in enumerate(lines):
        header = line.strip()
        if not header.startswith("["):
            continue
        if start is not None:
            return start, number
        name = header.strip("[] ")
        if name == plain and header.startswith("[[") == (wanted is not None):
            seen += 1
            if wanted is None or seen == wanted:
                start = number + 1
    return start, len(lines)


def xlsx_format_error(
    error: FormatError, columns: dict[str, str], measure_columns: dict[str, str]
) -> JixiaoError:
    """The engine's refusal of a plan read from Excel, at the sheet, row and column it came from."""
    sheet, row, column = xlsx_place(error.path, columns, measure_columns)
    where_zh = f"“{sheet}”工作表" + (f"第 {row} 行" if row else "") + (f"“{column}”列" if column else "")
    where_en = f"sheet {sheet}" + (f", row {row}" if row else "") + (f", column {column}" if column else "")
    return JixiaoError(
        zh=f"{where_zh}：{error.message_zh}。请改正后重新上传。",
        en=f"{where_en}: {error.message_en}. Correct it and upload again.",
        code="xlsx_format",
        problems=[
            Problem(zh=error.message_zh, en=error.message_en, where=f"“{sheet}”", row=row, column=column)
        ],
    )


def xlsx_place(
    path: str, columns: dict[str, str], measure_columns: dict[str, str]
) -> tuple[str, int | None, str]:
    """(sheet, row, column header) of ``plan.indicators[2].weight`` in the exported workbook."""
    parts = [p for p in path.split(".") if p][1:]
    first = INDEXED.match(parts[0]) if parts else None
    if first is None or first["name"] not in ("indicators", "measures"):
        return "方案", None, "其他设置（JSON）" if parts else ""
    row = int(first["index"]) + 2  # the header is row 1
    field = INDEXED.sub(r"\g<name>", parts[1]) if len(parts) > 1 else ""
    if first["name"] == "measures":
        return "数据项", row, measure_columns.get(field, "")
    return "指标", row, columns.get(field, "")
