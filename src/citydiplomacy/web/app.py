"""The application factory: nothing is built at import time."""

from __future__ import annotations

from importlib import metadata
from importlib.resources import files

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from ..config import Settings
from ..domain import RECORD_TYPES
from .problems import install_problem_handlers
from .routes.admin import build_admin_api_router, build_admin_router
from .routes.api import build_api_router
from .routes.atlas import build_atlas_api_router, build_atlas_router
from .routes.audit import build_audit_router
from .routes.auth import build_auth_router
from .routes.commitments import build_commitments_api_router, build_commitments_router
from .routes.forms import build_forms_router
from .routes.imports import build_imports_router
from .routes.pages import build_pages_router
from .routes.practices import build_practices_api_router, build_practices_router
from .routes.public import build_public_router
from .routes.rules import build_rules_api_router, build_rules_router
from .routes.shell import build_shell_router
from .security import install_security

__all__ = ["create_app"]

DESCRIPTION = """\
The registry of a government's international relations: engagements with foreign
partners, agreements such as sister-city ties, city networks, people and their posts.

Every record type has the same routes under `/api/workspaces/{ws}/{plural}`: list
(with filters, sorting and paging), create, get, replace (PUT), change (PATCH),
delete, and its audit history. Records point at each other by `ref`. Errors are
RFC 9457 problem details whose `errors` name each field to fix.
"""


def _version() -> str:
    try:
        return metadata.version("citydiplomacy")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


def _tags() -> list[dict]:
    tags = [
        {"name": "workspaces", "description": "The governments using this registry."},
        {"name": "audit", "description": "Who changed what, and when (hash-chained)."},
        {"name": "members", "description": "Who may use a workspace, and their roles (administrators)."},
        {"name": "tokens", "description": "API tokens for scripts, scoped to a workspace and a role."},
    ]
    for model in RECORD_TYPES:
        doc = (model.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        tags.append({"name": model.plural, "description": doc or f"{model.kind_name.capitalize()} records."})
    return tags


def create_app(engine: Engine, *, settings: Settings | None = None) -> FastAPI:
    """The web application (REST API and web shell) on ``engine``.

    ``engine`` must already be migrated (see :func:`citydiplomacy.bootstrap.open_database`).
    """
    app = FastAPI(
        title="citydiplomacy",
        version=_version(),
        description=DESCRIPTION,
        openapi_tags=_tags(),
        license_info={"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        # The interactive docs pages load scripts from a CDN; we serve none. /openapi.json remains.
        docs_url=None,
        redoc_url=None,
        # One schema per record type, named after it, for requests and responses alike.
        separate_input_output_schemas=False,
    )
    app.state.engine = engine
    app.state.settings = settings or Settings()
    package = files("citydiplomacy.web")
    app.state.templates = Jinja2Templates(directory=str(package / "templates"))
    app.mount("/static", StaticFiles(directory=str(package / "static")), name="static")
    install_problem_handlers(app)
    install_security(app)
    app.include_router(build_api_router())
    app.include_router(build_commitments_api_router())
    app.include_router(build_atlas_api_router())
    app.include_router(build_practices_api_router())
    app.include_router(build_admin_api_router())
    app.include_router(build_auth_router())
    app.include_router(build_admin_router())
    app.include_router(build_audit_router())
    # Workflow routes come before the shell's catch-all record pages ('/w/{ws}/engagements/new').
    app.include_router(build_forms_router())
    app.include_router(build_pages_router())
    app.include_router(build_imports_router())
    app.include_router(build_commitments_router())
    app.include_router(build_atlas_router())
    app.include_router(build_practices_router())
    app.include_router(build_public_router())
    app.include_router(build_rules_api_router())
    app.include_router(build_rules_router(app.state.templates))
    app.include_router(build_shell_router())
    return app
