"""POST /api/imports: upload one file and load it, for coordinators.

The body is the file itself (any content type); ``filename`` names it, and
its suffix picks the loader as ``partnermap load`` would. The file is kept
in a fresh temporary folder under a sanitised name, so no name can reach
outside it, and deleted after the import.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from partnermap.access import Principal, Role, now
from partnermap.api.deps import SettingsDep, StoreDep, require
from partnermap.api.schemas import ImportResult
from partnermap.errors import InvalidInputError, TooLargeError
from partnermap.loaders import load_files
from partnermap.privacy import pseudonymise

router = APIRouter(prefix="/api/imports", tags=["imports"])

_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/octet-stream": {
                "schema": {"type": "string", "format": "binary"}
            }
        },
    }
}


def safe_name(raw: str) -> str:
    """The last part of an uploaded file name, with only letters, digits,
    ``.``, ``_`` and ``-``, never starting with a dot.

    >>> safe_name("../../etc/passwd.csv"), safe_name("C:\\\\x\\\\My file.xlsx")
    ('passwd.csv', 'My_file.xlsx')
    """
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[^A-Za-z0-9._-]", "_", base).lstrip(".")[-100:]
    if "." not in base.strip("."):
        raise InvalidInputError(
            f"filename {raw[:100]!r} has no suffix; name the file as it is, "
            "e.g. interactions.csv or partners.xlsx"
        )
    return base


_URLENCODED = "application/x-www-form-urlencoded"


def _form_type(content_type: str, head: bytes, lines: bool) -> str:
    r"""The form a body was sent as, by mistake, else "".

    A multipart form (curl -F), whatever its declared type; a url-encoded
    body without a line break (curl -d drops them; curl --data-binary, which
    keeps them, declares the same type, so a file sent with it passes).

    >>> _form_type("multipart/form-data; boundary=x", b"", True)
    'multipart/form-data'
    >>> _form_type("application/octet-stream", b"--x\r\nContent-Disposition: form-data", True)
    'multipart/form-data'
    >>> _form_type(_URLENCODED, b"id,name,kinda,A,school", False)
    'application/x-www-form-urlencoded without line breaks'
    >>> _form_type(_URLENCODED, b"id,name,kind\na,A,school", True)
    ''
    """
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind.startswith("multipart/") or (
        head.startswith(b"--") and b"content-disposition: form-data" in head.lower()
    ):
        return "multipart/form-data"
    if kind == _URLENCODED and head and not lines:
        return f"{_URLENCODED} without line breaks"
    return ""


def _refuse_form(form: str, name: str) -> None:
    if form:
        raise InvalidInputError(
            f"the body is a form ({form}); send the file itself as "
            f"the body, e.g. curl --data-binary @{name} -H 'Content-Type: "
            f"application/octet-stream' '.../api/imports?filename={name}'"
        )


@router.post("", response_model=ImportResult, openapi_extra=_BODY)
async def create_import(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    principal: Annotated[Principal, Depends(require(Role.COORDINATOR))],
    filename: Annotated[
        str,
        Query(
            min_length=1, max_length=255, description="The file's name, e.g. edges.csv."
        ),
    ],
    create_missing: Annotated[
        bool,
        Query(
            description="Add a placeholder for each unknown stakeholder "
            "(the CLI's --create-missing)."
        ),
    ] = False,
    keep_person_names: Annotated[
        bool, Query(description="Keep people's names (ids are pseudonymised anyway).")
    ] = False,
) -> ImportResult:
    """Load one uploaded file as one all-or-nothing import; 413 over the size limit."""
    name = safe_name(filename)
    content_type = request.headers.get("content-type", "")
    _refuse_form(_form_type(content_type, b"", True), name)
    limit = int(settings.max_import_mb * 1024 * 1024)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(settings.max_import_mb)
    with tempfile.TemporaryDirectory(prefix="partnermap-upload-") as folder:
        path = Path(folder) / name
        head, lines = await _save(request, path, limit, settings.max_import_mb)
        _refuse_form(_form_type(content_type, head, lines), name)
        batch, reports = await run_in_threadpool(
            load_files,
            [path],
            store_stakeholders=store.iter_stakeholders,
            create_missing=create_missing,
            max_bytes=limit,
            salt=settings.salt(),
        )
    people = pseudonymise(batch, settings.salt(), keep_names=keep_person_names)
    result = await run_in_threadpool(store.apply, batch)

    # The audit line names the file and the counts, never a person.
    counts = result.to_dict()
    store.audit(
        principal.who,
        "import",
        f"{name}: {counts} ({people} people pseudonymised)",
        now(),
    )
    return ImportResult(
        file=name, format=reports[0].format, warnings=reports[0].warnings, **counts
    )


async def _save(
    request: Request, path: Path, limit: int, limit_mb: float
) -> tuple[bytes, bool]:
    """Write the body to ``path``; its first 4 KiB, and whether it has a line break."""
    size = 0
    head = b""
    lines = False
    with path.open("wb") as out:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_large(limit_mb)
            out.write(chunk)
            head = head if len(head) >= 4096 else (head + chunk)[:4096]
            lines = lines or b"\n" in chunk or b"\r" in chunk
    return head, lines


def _too_large(limit_mb: float) -> TooLargeError:
    return TooLargeError(
        f"the upload is over the limit of {limit_mb:g} MB "
        "(PARTNERMAP_MAX_IMPORT_MB); split the file or raise the limit"
    )
