"""API list latency on a synthetic workspace at realistic scale.

    python bench/bench_api.py [--engagements 50000] [--requests 200] [--backends sqlite,postgresql]

Builds (once per backend) a synthetic workspace of 50,000 engagements, 5,000 partners
and 20,000 people with citydiplomacy.demo.synthetic, starts the real web app with
uvicorn on 127.0.0.1 and times list requests over HTTP (p50/p95/max), for the default
list and for each filter staff use. Results are printed and written to
bench/results/api.json. A benchmark, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import threading
import time
import uuid
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import create_engine, text

from citydiplomacy.bootstrap import open_database
from citydiplomacy.demo.synthetic import generate_workspace
from citydiplomacy.services import accounts
from citydiplomacy.services.registry import Actor, list_workspaces
from citydiplomacy.web import create_app

RESULTS = Path(__file__).parent / "results"
SLUG = "synthetic"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_for(backend: str, engagements: int) -> str:
    RESULTS.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        return f"sqlite:///{RESULTS / f'bench-api-{engagements}.sqlite3'}"
    name = f"citydiplomacy_bench_{engagements}"
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def prepare(backend: str, engagements: int):
    engine = open_database(database_for(backend, engagements))
    if SLUG not in {w.slug for w in list_workspaces(engine)}:
        started = time.perf_counter()
        generate_workspace(
            engine,
            SLUG,
            engagements=engagements,
            partners=max(50, engagements // 10),
            people=max(100, engagements * 2 // 5),
            seed=0,
        )
        print(f"  generated {engagements} engagements on {backend} in {time.perf_counter() - started:.1f} s")
    name = "bench-" + uuid.uuid4().hex[:8]
    system = Actor.system("cli")
    user = accounts.create_user(
        engine, {"username": name, "display_name": "Benchmark", "password": uuid.uuid4().hex, "is_admin": True}, system
    )
    token, _ = accounts.create_api_token(engine, user, SLUG, "benchmark", "staff", expires_in_days=1, actor=system)
    return engine, token


def sample_refs(client: httpx.Client, headers) -> dict:
    first = client.get(f"/api/workspaces/{SLUG}/engagements", params={"per_page": 1}, headers=headers).json()["items"][
        0
    ]
    return {
        "partner": first["partners"][0] if first["partners"] else None,
        "person": first["participants"][0]["person"] if first["participants"] else None,
        "country": "JP",
    }


def run(backend: str, engagements: int, requests: int) -> dict:
    engine, token = prepare(backend, engagements)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    headers = {"Authorization": f"Bearer {token}"}
    out = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            refs = sample_refs(client, headers)
            cases = {
                "default list (newest first, 50)": {},
                "a middle page": {"page": max(1, engagements // 100)},
                "country JP": {"country": refs["country"]},
                "topic trade": {"topic": "trade"},
                "partner": {"partner": refs["partner"]},
                "person": {"person": refs["person"]},
                "date range 2020": {"date_from": "2020-01-01", "date_to": "2020-12-31"},
                "status planned, sort by title": {"status": "planned", "sort": "title"},
                "text search": {"q": "meeting"},
            }
            for label, params in cases.items():
                params = {k: v for k, v in params.items() if v is not None}
                url = f"/api/workspaces/{SLUG}/engagements"
                client.get(url, params=params, headers=headers).raise_for_status()  # warm up
                times = []
                for _ in range(requests):
                    started = time.perf_counter()
                    response = client.get(url, params=params, headers=headers)
                    times.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
                times.sort()
                out[label] = {
                    "p50_ms": round(statistics.median(times), 2),
                    "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
                    "max_ms": round(times[-1], 2),
                    "total": response.json()["total"],
                }
                print(
                    f"  {backend:10} {label:34} p50 {out[label]['p50_ms']:7.2f} ms  p95 {out[label]['p95_ms']:7.2f} ms"
                    f"  ({out[label]['total']} matches)"
                )
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        engine.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engagements", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    results = {"engagements": args.engagements, "requests_per_case": args.requests, "backends": {}}
    for backend in args.backends.split(","):
        print(f"{backend}:")
        results["backends"][backend] = run(backend, args.engagements, args.requests)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "api.json").write_text(json.dumps(results, indent=2))
    print(f"written {RESULTS / 'api.json'}")


if __name__ == "__main__":
    main()
