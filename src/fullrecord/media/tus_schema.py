"""The tus endpoints in the OpenAPI schema, as far as OpenAPI 3 can describe them.

``/api/uploads/`` is tus 1.0.0 on plain Django views (``tus_views``: no DRF parser ever
touches the body), so drf-spectacular does not see them; this post-processing hook
(``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``) adds them by hand. What OpenAPI cannot
say — that a client should send a large file as several PATCHes and resume with HEAD after
a broken connection — is in each operation's description and in docs/ingest.md.
"""

from __future__ import annotations

from . import tus

TAG = "uploads"


def _header(name: str, description: str, *, required: bool = False, schema=None) -> dict:
    return {
        "name": name,
        "in": "header",
        "required": required,
        "description": description,
        "schema": schema or {"type": "string"},
    }


def _out(description: str, **headers: str) -> dict:
    answer: dict = {"description": description}
    if headers:
        answer["headers"] = {
            name.replace("_", "-"): {"description": text, "schema": {"type": "string"}}
            for name, text in headers.items()
        }
    return answer


TUS_RESUMABLE = _header(
    "Tus-Resumable",
    f"The tus version the client speaks: always `{tus.TUS_VERSION}` (else 412).",
    required=True,
    schema={"type": "string", "enum": [tus.TUS_VERSION]},
)
CHECKSUM = _header(
    "Upload-Checksum",
    "Optional checksum of this request's bytes: `<algorithm> <base64 digest>`, algorithm one "
    f"of {', '.join(sorted(tus.CHECKSUMS))}. A mismatch answers 460 and keeps nothing of "
    "the body.",
)
BYTES = {
    "required": False,
    "content": {
        "application/offset+octet-stream": {"schema": {"type": "string", "format": "binary"}}
    },
}
REFUSALS = {
    "400": _out("A malformed header or metadata, named in the answer's text (in Chinese)."),
    "401": _out("No session and no valid API token."),
    "403": _out("Not allowed to add audiovisual records, or a session without its CSRF token."),
    "412": _out("Tus-Resumable missing or not 1.0.0.", Tus_Version="1.0.0"),
}
ID = {
    "name": "upload_id",
    "in": "path",
    "required": True,
    "description": "The upload's id, the last part of the `Location` the creation answered.",
    "schema": {"type": "string", "format": "uuid"},
}
RECORD_HEADERS = {
    "Upload_Offset": "Bytes received so far.",
    "X_Media_Sha256": "Once complete: the SHA-256 of the original (its name in the store).",
    "X_Media_Id": "Once complete, when the uploader may see it: the record's id.",
    "X_Media_Url": "Once complete, when the uploader may see it: the record's page.",
    "X_Media_Duplicate": "Once complete: 1 when the same bytes were already stored.",
}


def paths() -> dict:
    security = [{"tokenAuth": []}, {"cookieAuth": []}]
    options = {
        "operationId": "uploads_options",
        "tags": [TAG],
        "summary": "What this tus server supports",
        "security": [],
        "responses": {
            "204": _out(
                "Versions, extensions, the largest size and the checksum algorithms.",
                Tus_Version=tus.TUS_VERSION,
                Tus_Extension=",".join(tus.EXTENSIONS),
                Tus_Max_Size="Largest upload, in bytes.",
                Tus_Checksum_Algorithm=",".join(tus.CHECKSUMS),
            )
        },
    }
    return {
        "/api/uploads/": {
            "options": options,
            "post": {
                "operationId": "uploads_create",
                "tags": [TAG],
                "summary": "Open a resumable upload of an audiovisual record (tus creation)",
                "description": (
                    "Announce the file's size in `Upload-Length` and describe it in "
                    "`Upload-Metadata` (comma-separated `key base64(value)` pairs): "
                    "`filename`, `filetype`, `case` (a case id you may add evidence to), "
                    "`stage`, `device_number`, `task_reference`. The answer's `Location` is "
                    "the upload's address. The body may carry the first bytes "
                    "(creation-with-upload, `Content-Type: application/offset+octet-stream`). "
                    "Send a large file in several PATCHes of tens of MiB rather than in one "
                    "request: after a broken connection, HEAD says how much arrived and the "
                    "client carries on from there. The SHA-256 is computed as the bytes "
                    "arrive; nothing is hashed twice."
                ),
                "security": security,
                "parameters": [
                    TUS_RESUMABLE,
                    _header(
                        "Upload-Length",
                        "The whole file's size in bytes (Upload-Defer-Length is refused).",
                        required=True,
                        schema={"type": "integer", "minimum": 0},
                    ),
                    _header("Upload-Metadata", "The file's description, as above."),
                    CHECKSUM,
                ],
                "requestBody": BYTES,
                "responses": {
                    "201": _out(
                        "Opened (and, with bytes, appended to).",
                        Location="The upload's address, for HEAD, PATCH and DELETE.",
                        Upload_Expires="When an unfinished upload is dropped.",
                        **RECORD_HEADERS,
                    ),
                    **REFUSALS,
                    "413": _out("Larger than Tus-Max-Size."),
                    "415": _out("Bytes sent with another Content-Type."),
                    "460": _out("Upload-Checksum does not match the bytes."),
                },
            },
        },
        "/api/uploads/{upload_id}": {
            "options": {**options, "operationId": "upload_options", "parameters": [ID]},
            "head": {
                "operationId": "upload_offset",
                "tags": [TAG],
                "summary": "How much of an upload has arrived (to resume)",
                "security": security,
                "parameters": [ID, TUS_RESUMABLE],
                "responses": {
                    "200": _out(
                        "The offset to send from next; the file's record once complete.",
                        Upload_Length="The whole file's size.",
                        Upload_Metadata="The metadata as sent at creation.",
                        Upload_Expires="When an unfinished upload is dropped.",
                        **RECORD_HEADERS,
                    ),
                    **REFUSALS,
                    "404": _out("No such upload of yours."),
                    "410": _out("The upload was cancelled or has expired: start again."),
                },
            },
            "patch": {
                "operationId": "upload_append",
                "tags": [TAG],
                "summary": "Append bytes at the offset the server has",
                "description": (
                    "`Upload-Offset` must equal the server's (HEAD), else 409 and nothing is "
                    "kept. The last PATCH completes the upload: the original is stored under "
                    "its SHA-256 and the record made, in the same request. Clients behind "
                    "proxies that know only POST may send POST with "
                    "`X-HTTP-Method-Override: PATCH`."
                ),
                "security": security,
                "parameters": [
                    ID,
                    TUS_RESUMABLE,
                    _header(
                        "Upload-Offset",
                        "Where these bytes start.",
                        required=True,
                        schema={"type": "integer", "minimum": 0},
                    ),
                    CHECKSUM,
                ],
                "requestBody": {**BYTES, "required": True},
                "responses": {
                    "204": _out(
                        "Appended; complete when Upload-Offset equals the length.", **RECORD_HEADERS
                    ),
                    **REFUSALS,
                    "404": _out("No such upload of yours."),
                    "410": _out("The upload was cancelled or has expired: start again."),
                    "409": _out("Upload-Offset is not the server's: HEAD and resume."),
                    "415": _out("Content-Type is not application/offset+octet-stream."),
                    "460": _out("Upload-Checksum does not match the bytes."),
                },
            },
            "delete": {
                "operationId": "upload_cancel",
                "tags": [TAG],
                "summary": "Cancel an unfinished upload (termination)",
                "security": security,
                "parameters": [ID, TUS_RESUMABLE],
                "responses": {
                    "204": _out("Cancelled; its bytes are dropped."),
                    **REFUSALS,
                    "404": _out("No such upload of yours."),
                    "410": _out("The upload was cancelled or has expired: start again."),
                },
            },
        },
    }


def add_tus_paths(result: dict, generator, request, public) -> dict:
    """drf-spectacular post-processing hook: the tus endpoints beside the DRF ones."""
    result.setdefault("paths", {}).update(paths())
    tags = result.setdefault("tags", [])
    if not any(tag.get("name") == TAG for tag in tags):
        tags.append(
            {"name": TAG, "description": "Resumable uploads of audiovisual records (tus 1.0.0)"}
        )
    return result
