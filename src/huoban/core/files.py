"""Uploaded files kept with a business record (an agreement's signed copy, a candidate's NDA
and due-diligence files; R-AGR-1, R-SEL-2): checked on the way in (type by content, size),
stored under the data directory readable by the server only, fingerprinted with SHA-256, and
served only through a page that checks who may read the record — never from a public URL."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _

UPLOAD_MAX_BYTES = 10 * 1024 * 1024
_OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # Word 97–2003 / Excel 97–2003
_ZIP = (b"PK\x03\x04",)  # .docx / .xlsx
#: extension → the bytes such a file starts with
PDF_OR_IMAGE: Mapping[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
OFFICE_DOCUMENTS: Mapping[str, tuple[bytes, ...]] = {
    **PDF_OR_IMAGE,
    "doc": _OLE,
    "docx": _ZIP,
    "xls": _OLE,
    "xlsx": _ZIP,
}
OFFICE_ACCEPT = ".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"
OFFICE_WORDS = "PDF、Word、Excel、JPG 或 PNG / a PDF, Word, Excel, JPG or PNG file"


def read_upload(
    upload: Any,
    kinds: Mapping[str, tuple[bytes, ...]],
    words: str,
    max_bytes: int = UPLOAD_MAX_BYTES,
) -> tuple[str, bytes] | str:
    """(extension, content) of an uploaded file whose name and first bytes agree with one of
    ``kinds`` and whose size is at most ``max_bytes``; else the error message."""
    too_large = f"文件过大（≤{max_bytes // 1048576} MB） / The file is too large."
    name = str(getattr(upload, "name", "") or "")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        return too_large
    if ext not in kinds:
        zh, _sep, en = words.partition(" / ")
        return f"文件须为 {zh} / The file must be {en}."
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        return too_large
    if not content or not content.startswith(kinds[ext]):
        return "文件内容与类型不符 / The file's content does not match its type."
    return ext, content


@dataclass(frozen=True)
class Upload:
    """A checked upload: its extension, content, original name and the title to keep."""

    ext: str
    content: bytes
    original_name: str
    title: str


def take_upload(
    upload: Any,
    title: str,
    errors: dict[str, str],
    kinds: Mapping[str, tuple[bytes, ...]] = OFFICE_DOCUMENTS,
    words: str = OFFICE_WORDS,
) -> Upload | None:
    """Check an upload and its title (the original name without extension when blank); the
    problems go into ``errors`` under ``file`` and ``title`` and None is returned."""
    checked = read_upload(upload, kinds, words) if upload else "请选择文件 / Choose a file."
    if isinstance(checked, str):
        errors["file"] = checked
    original = str(getattr(upload, "name", "") or "")[:255]
    name = (title or "").strip() or original.rsplit(".", 1)[0]
    if len(name) > 200:
        errors["title"] = "文件名称最多 200 字 / A title is at most 200 characters."
    if isinstance(checked, str) or "title" in errors:
        return None
    return Upload(checked[0], checked[1], original, name)


def private_storage() -> Any:
    """Files under the data dir (MEDIA_ROOT), readable by the server's user only."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(file_permissions_mode=0o600, directory_permissions_mode=0o700)


def _folder(instance: StoredFile, filename: str) -> str:
    return f"{instance.FOLDER}/{filename}"


class StoredFile(models.Model):
    """A file kept with a record: its title, original name, size, SHA-256, who and when."""

    FOLDER = "files"

    title = models.CharField(_("文件名称"), max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    file = models.FileField(_("文件"), upload_to=_folder, storage=private_storage)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    def keep(self, upload: Upload) -> None:
        """Take the upload's title and name, fingerprint its content and store it under a
        random name (call before saving)."""
        self.title, self.original_name = upload.title, upload.original_name
        self.size = len(upload.content)
        self.sha256 = hashlib.sha256(upload.content).hexdigest()
        self.file.save(f"{uuid.uuid4().hex}.{upload.ext}", ContentFile(upload.content), save=False)


def download(row: StoredFile) -> Any:
    """The stored file as an attachment under its original name (the page checked who may)."""
    from urllib.parse import quote

    from django.http import HttpResponse

    types = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
    ext = row.file.name.rsplit(".", 1)[-1].lower()
    with row.file.open("rb") as handle:
        body = handle.read()
    response = HttpResponse(body, content_type=types.get(ext, "application/octet-stream"))
    name = row.original_name or f"{row.title}.{ext}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
