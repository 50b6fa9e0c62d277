"""The web adapter: REST API, web shell, and a way to serve them."""

from __future__ import annotations

from sqlalchemy import Engine

from ..config import Settings
from .app import create_app

__all__ = ["create_app", "serve"]


def serve(engine: Engine, host: str = "127.0.0.1", port: int = 8000, *, settings: Settings | None = None) -> None:
    """Run the web application in this process until interrupted (``citydip serve``)."""
    import uvicorn

    uvicorn.run(create_app(engine, settings=settings), host=host, port=port, log_level="info")
