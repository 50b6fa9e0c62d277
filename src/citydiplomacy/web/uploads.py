"""Uploaded import files, kept on the server between the preview and the commit.

The browser gets only a random id; the content stays here, tied to the user's session
and workspace, so what is committed is exactly what was previewed and no client-side
copy is trusted. Files expire after an hour and are deleted after the commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from ..domain import InvalidInput, NotFound, Problem

__all__ = ["MAX_UPLOAD_BYTES", "UploadStore", "owner_key"]

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
MAX_AGE_SECONDS = 3600
_ID = re.compile(r"^[A-Za-z0-9_-]{32}$")


def owner_key(user: str, session_secret: str | None) -> str:
    """Who may commit an upload: the same user in the same session (digested, never stored raw)."""
    return hashlib.sha256(f"{user}\n{session_secret or ''}".encode()).hexdigest()


class UploadStore:
    def __init__(self, root: str | Path | None = None, *, max_age: int = MAX_AGE_SECONDS):
        self.root = Path(root) if root else Path(tempfile.gettempdir()) / "citydiplomacy-uploads"
        self.max_age = max_age

    def _paths(self, upload_id: str) -> tuple[Path, Path]:
        if not _ID.match(upload_id or ""):
            raise NotFound("upload", upload_id)
        return self.root / f"{upload_id}.json", self.root / f"{upload_id}.bin"

    def put(self, owner: str, workspace: str, file_name: str, data: bytes) -> str:
        if len(data) > MAX_UPLOAD_BYTES:
            raise InvalidInput(
                [
                    Problem(
                        f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; split it",
                        file=file_name,
                        field="file",
                    )
                ]
            )
        self.sweep()
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        upload_id = secrets.token_urlsafe(24)
        meta, body = self._paths(upload_id)
        body.write_bytes(data)
        os.chmod(body, 0o600)
        meta.write_text(json.dumps({"owner": owner, "workspace": workspace, "file": file_name, "at": time.time()}))
        return upload_id

    def get(self, upload_id: str, owner: str, workspace: str) -> tuple[str, bytes]:
        """(file name, content), or NotFound if the id is unknown, expired, or someone else's."""
        meta_path, body_path = self._paths(upload_id)
        try:
            meta = json.loads(meta_path.read_text())
            data = body_path.read_bytes()
        except (OSError, ValueError):
            raise NotFound("upload", upload_id) from None
        if (
            meta.get("owner") != owner
            or meta.get("workspace") != workspace
            or time.time() - meta.get("at", 0) > self.max_age
        ):
            raise NotFound("upload", upload_id)
        return meta["file"], data

    def discard(self, upload_id: str) -> None:
        for path in self._paths(upload_id):
            path.unlink(missing_ok=True)

    def sweep(self) -> None:
        """Delete expired uploads."""
        if not self.root.is_dir():
            return
        now = time.time()
        for meta_path in self.root.glob("*.json"):
            try:
                expired = now - json.loads(meta_path.read_text()).get("at", 0) > self.max_age
            except (OSError, ValueError):
                expired = True
            if expired:
                meta_path.unlink(missing_ok=True)
                meta_path.with_suffix(".bin").unlink(missing_ok=True)
