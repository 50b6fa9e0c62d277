"""gazetteer: resolve place names offline."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import FormatOption, print_json, print_table

app = typer.Typer(
    help="The offline gazetteer: countries, subdivisions and 235,000 cities and towns.", no_args_is_help=True
)


@app.command("resolve")
def resolve(
    name: str,
    country: Annotated[str | None, typer.Option(help="Country name or code, e.g. 'United States' or US.")] = None,
    admin: Annotated[str | None, typer.Option(help="State or province hint, e.g. Illinois.")] = None,
    limit: int = 5,
    fmt: FormatOption = "table",
) -> None:
    """Resolve a place name to ranked candidates, each with a score and the reason."""
    from ..gazetteer import Gazetteer

    result = Gazetteer.default().resolve(name, country=country, admin=admin, limit=limit)
    if fmt == "json":
        from dataclasses import asdict

        print_json(
            {
                "query": result.query,
                "status": result.status,
                "reason": result.reason,
                "candidates": [asdict(c) for c in result.candidates],
            }
        )
        return
    print_table(
        f"{name}: {result.status} — {result.reason}",
        ["geonames id", "name", "admin", "country", "population", "score", "reason"],
        [
            [
                c.geonames_id,
                c.name,
                c.subdivision_name or c.admin1_code,
                c.country_code,
                c.population,
                f"{c.score:.2f}",
                c.reason,
            ]
            for c in result.candidates
        ],
    )
