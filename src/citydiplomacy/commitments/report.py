"""Render reports: the Voluntary Local Review draft and one-page commitment summaries.

HTML comes from Jinja2 templates in ``templates/`` with the charts embedded as data
URIs (so one file carries everything, and nothing is fetched); PDF is that HTML laid
out by WeasyPrint. Fonts: DejaVu Sans from Debian's fonts-dejavu-core.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape

from .charts import chart_data_uri
from .status import METHOD, format_value
from .views import CommitmentView
from .vlr import VlrReport

__all__ = ["html_to_pdf", "render_commitment_summary", "render_vlr"]

FORMATS = ("pdf", "html")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("citydiplomacy.commitments", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["fmt"] = format_value
    return env


def _css() -> str:
    return resources.files("citydiplomacy.commitments").joinpath("templates/report.css").read_text(encoding="utf-8")


def _check_format(fmt: str) -> str:
    fmt = fmt.lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValueError(f"report format must be pdf or html, not {fmt!r}")
    return fmt


def html_to_pdf(html: str) -> bytes:
    """Lay out HTML as PDF with WeasyPrint (imported here: it needs Pango, which only PDF output requires)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=".").write_pdf()


def render_vlr(report: VlrReport, *, fmt: str = "pdf") -> bytes:
    fmt = _check_format(fmt)
    charts = {}
    for goal in report.goals:
        for indicator in goal.indicators:
            key = f"{indicator.commitment_ref}/{indicator.target.key}"
            if key not in charts:
                charts[key] = chart_data_uri(indicator.target.series, status=indicator.target.status.status)
    html = _environment().get_template("vlr.html.j2").render(r=report, charts=charts, css=_css())
    return html.encode("utf-8") if fmt == "html" else html_to_pdf(html)


def render_commitment_summary(view: CommitmentView, workspace_name: str, *, fmt: str = "pdf") -> bytes:
    fmt = _check_format(fmt)
    charts = {t.key: chart_data_uri(t.series, status=t.status.status, width=4.6, height=1.85) for t in view.targets}
    html = (
        _environment()
        .get_template("commitment.html.j2")
        .render(c=view, charts=charts, css=_css(), workspace_name=workspace_name, method=METHOD)
    )
    return html.encode("utf-8") if fmt == "html" else html_to_pdf(html)
