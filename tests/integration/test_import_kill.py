"""A process killed in the middle of an import leaves nothing behind (one transaction)."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import textwrap

from citydiplomacy.adapters.db import audit

from .import_helpers import counts

ROWS = 20_000

CHILD = textwrap.dedent("""
    import sys
    from citydiplomacy.bootstrap import open_database
    from citydiplomacy.services.imports import import_file
    from citydiplomacy.services.registry import Actor

    url, workspace, path = sys.argv[1:4]
    engine = open_database(url, migrate=False)

    def progress(stage, done, total):
        if stage == "writing" and done < total:
            print(f"writing {done} of {total}", flush=True)

    import_file(engine, workspace, path, Actor(name="killed-importer", interface="cli"), progress=progress)
    print("finished", flush=True)
""")


def write_big_file(path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["ref", "title", "kind", "start", "timezone", "topics", "follow_ups"])
        for i in range(ROWS):
            writer.writerow(
                [
                    f"bulk-{i:05d}",
                    f"Generated engagement {i}",
                    "meeting",
                    f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T10:00:00",
                    "America/Los_Angeles",
                    "trade; climate",
                    '[{"description": "Send the readout"}]',
                ]
            )


def test_killing_an_import_while_it_writes_leaves_no_trace(engine, workspace, tmp_path):
    path = tmp_path / "engagements.csv"
    write_big_file(path)
    before = counts(engine, workspace)
    url = engine.url.render_as_string(hide_password=False)
    env = dict(os.environ, PYTHONUNBUFFERED="1")

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, url, workspace, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = child.stdout.readline()  # blocks until the first batch has been written
        assert line.startswith("writing "), child.stderr.read()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()

    assert child.returncode == -signal.SIGKILL
    assert "finished" not in child.stdout.read()
    after = counts(engine, workspace)
    assert after == before  # no engagements, children, audit entries or import run
    assert after["engagements"] == 0
    with engine.connect() as conn:
        _checked, breaks = audit.verify(conn)
    assert breaks == []
