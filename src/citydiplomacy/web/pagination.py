"""Page links for lists: RFC 8288 ``Link`` headers and the HTML pager share them."""

from __future__ import annotations

from starlette.datastructures import URL

__all__ = ["link_header", "page_links"]


def page_links(url: URL | str, page: int, pages: int) -> dict[str, str]:
    """rel -> URL of the first, previous, next and last pages (keeping every other parameter)."""
    url = URL(str(url))
    links = {"first": str(url.include_query_params(page=1))}
    if page > 1:
        links["prev"] = str(url.include_query_params(page=min(page - 1, pages)))
    if page < pages:
        links["next"] = str(url.include_query_params(page=page + 1))
    links["last"] = str(url.include_query_params(page=pages))
    return links


def link_header(links: dict[str, str]) -> str:
    return ", ".join(f'<{target}>; rel="{rel}"' for rel, target in links.items())
