"""Speaking tus to /api/uploads/ from tests, through Django's test client."""

from __future__ import annotations

import base64
import hashlib

from django.test import Client

from fullrecord.accounts.services import issue_api_token

URL = "/api/uploads/"
OFFSET_TYPE = "application/offset+octet-stream"


def metadata(**values: str) -> str:
    return ",".join(
        f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in values.items()
    )


def checksum(algorithm: str, data: bytes) -> str:
    return f"{algorithm} {base64.b64encode(hashlib.new(algorithm, data).digest()).decode()}"


class Tus:
    """A tus client for one user, authenticated by their API token."""

    def __init__(self, user, client: Client | None = None) -> None:
        self.client = client or Client()
        self.auth = {"Authorization": f"Token {issue_api_token(user)}", "Tus-Resumable": "1.0.0"}

    def options(self, url: str = URL):
        return self.client.options(url)

    def create(self, length: int, meta: str = "", **headers):
        h = {**self.auth, "Upload-Length": str(length), **headers}
        if meta:
            h["Upload-Metadata"] = meta
        return self.client.generic("POST", URL, headers=h)

    def create_with(self, length: int, data: bytes, meta: str = "", **headers):
        h = {**self.auth, "Upload-Length": str(length), **headers}
        if meta:
            h["Upload-Metadata"] = meta
        return self.client.post(URL, data=data, content_type=OFFSET_TYPE, headers=h)

    def head(self, location: str, **headers):
        return self.client.head(location, headers={**self.auth, **headers})

    def patch(self, location: str, data: bytes, offset: int, content_type=OFFSET_TYPE, **headers):
        return self.client.generic(
            "PATCH",
            location,
            data=data,
            content_type=content_type,
            headers={**self.auth, "Upload-Offset": str(offset), **headers},
            CONTENT_TYPE=content_type,  # also on an empty body, which the client leaves bare
        )

    def delete(self, location: str, **headers):
        return self.client.delete(location, headers={**self.auth, **headers})

    def upload(self, data: bytes, meta: str = "", chunk: int = 64 * 1024):
        """Create and send ``data`` in chunks; the last answer."""
        location = self.create(len(data), meta)["Location"]
        response = None
        for start in range(0, len(data), chunk):
            response = self.patch(location, data[start : start + chunk], start)
            assert response.status_code == 204, response.content
        return location, response
