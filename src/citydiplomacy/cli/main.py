"""The ``citydip`` application: assembles the command groups."""

from __future__ import annotations

import typer

from . import admin, atlas, commitments, gazetteer, practices, records, rules, serve, users

app = typer.Typer(
    name="citydip",
    help="citydiplomacy: the system of record for a city's international relations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.command("init")(admin.init_command)
app.command("list")(records.list_command)
app.command("show")(records.show_command)
app.command("import")(records.import_command)
app.command("export")(records.export_command)
app.command("serve")(serve.serve_command)
app.command("demo")(serve.demo_command)
app.add_typer(admin.db_app, name="db")
app.add_typer(admin.workspace_app, name="workspace")
app.add_typer(admin.audit_app, name="audit")
app.add_typer(gazetteer.app, name="gazetteer")
app.add_typer(atlas.app, name="atlas")
app.add_typer(rules.app, name="rules")
app.add_typer(practices.app, name="practices")
app.add_typer(users.user_app, name="user")
app.add_typer(users.token_app, name="token")
app.add_typer(commitments.app, name="commitments")
app.add_typer(commitments.report_app, name="report")

if __name__ == "__main__":  # pragma: no cover
    app()
