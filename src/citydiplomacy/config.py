"""Settings: one typed object, read from the environment (prefix CITYDIPLOMACY_)."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CITYDIPLOMACY_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL. Empty: a SQLite file in the user's data directory. "
        "PostgreSQL: postgresql://user@host:5432/dbname.",
    )
    host: str = Field(default="127.0.0.1", description="Address the web server listens on.")
    port: int = Field(default=8000, description="Port the web server listens on.")
    default_workspace: str | None = Field(
        default=None, description="Workspace slug the CLI uses when --workspace is not given."
    )
    secure_cookies: bool = Field(
        default=False,
        description="Mark the session cookie Secure (with the __Host- prefix) even when requests arrive over "
        "plain http, e.g. behind a proxy that ends TLS. Requests over https always get secure cookies.",
    )

    def resolved_database_url(self) -> str:
        from .adapters.db.engine import default_database_url

        return self.database_url or default_database_url()
