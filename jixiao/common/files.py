"""Uploaded files people attach (a case's evidence, a training's materials): type and size
checked, stored outside the web root under the data directory, and served only through a view
that has checked access (never by a static URL)."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import FileResponse

from jixiao.common.errors import JixiaoError

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
# suffix → (content type, the first bytes a real file of that type starts with; b"" = text)
KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".txt": ("text/plain; charset=utf-8", (b"",)),
}


@dataclass(frozen=True)
class StoredFile:
    name: str  # the name the user gave it (shown, never used as a path)
    path: str  # relative to the evidence root
    size: int
    sha256: str
    content_type: str


def evidence_root() -> Path:
    root = Path(settings.DATA_DIR) / "files"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _refuse(zh: str, en: str) -> JixiaoError:
    return JixiaoError(zh=zh, en=en, code="evidence", status=400)


def evidence_check(upload: Any) -> tuple[str, str]:
    """Refuse a file of the wrong type, size or content; return (suffix, content type)."""
    name = str(getattr(upload, "name", "") or "")
    suffix = Path(name).suffix.lower()
    if suffix not in KINDS:
        allowed = "、".join(sorted(KINDS))
        raise _refuse(
            f"“{name[:80]}”的类型不能上传；可上传 {allowed}。",
            f"{name[:80]!r}: this type cannot be uploaded; allowed: {allowed}.",
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise _refuse(f"“{name[:80]}”是空文件。", f"{name[:80]!r} is empty.")
    if size > MAX_EVIDENCE_BYTES:
        raise _refuse(
            f"“{name[:80]}”超过 10 MB，请压缩或拆分后上传。",
            f"{name[:80]!r} is over 10 MB; compress or split it.",
        )
    content_type, magics = KINDS[suffix]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if suffix == ".txt":
        try:
            upload.read().decode("utf-8")
        except UnicodeDecodeError as error:
            raise _refuse(f"“{name[:80]}”不是 UTF-8 文本。", f"{name[:80]!r} is not UTF-8 text.") from error
        finally:
            upload.seek(0)
    elif not any(head.startswith(m) for m in magics):
        raise _refuse(
            f"“{name[:80]}”的内容与扩展名 {suffix} 不符。",
            f"The content of {name[:80]!r} does not match {suffix}.",
        )
    return suffix, content_type


def evidence_store(upload: Any) -> StoredFile:
    """Check ``upload`` and write it under the evidence root with a random name."""
    suffix, content_type = evidence_check(upload)
    relative = Path(uuid.uuid4().hex[:2]) / f"{uuid.uuid4().hex}{suffix}"
    target = evidence_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with target.open("xb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    name = Path(str(upload.name)).name[:120]
    return StoredFile(
        name=name, path=str(relative), size=size, sha256=digest.hexdigest(), content_type=content_type
    )


def evidence_response(path: str, name: str, content_type: str) -> FileResponse:
    """Serve a stored file as a download (the caller has checked access)."""
    root = evidence_root().resolve()
    full = (root / path).resolve()
    if root not in full.parents or not full.is_file():
        raise JixiaoError(zh="文件不存在。", en="The file does not exist.", code="missing", status=404)
    response = FileResponse(full.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
