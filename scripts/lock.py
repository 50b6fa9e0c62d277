"""The dependency lock: requirements/*.txt compiled from pyproject.toml.

    python scripts/lock.py           refresh every lock file (pip-compile; keeps existing
                                     pins where pyproject.toml still allows them)
    python scripts/lock.py --check   fail, naming the file and the requirement, when a
                                     lock no longer matches pyproject.toml

pyproject.toml declares ranges, for people who install citydiplomacy as a library; the
lock files pin every package, direct or not, for the quick-start scripts and CI. Each
lock file records a digest of the declarations it was compiled from, so any change to
them (a new package, a moved bound, a dropped extra) is caught even when the old pins
happen to satisfy it.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
REQUIREMENTS = ROOT / "requirements"
CONSTRAINTS = REQUIREMENTS / "constraints.txt"
DIGEST_PREFIX = "# pyproject-digest: "

#: lock file -> the extras it installs on top of the core dependencies
LOCKS: dict[str, tuple[str, ...]] = {
    "app.txt": (),
    "test.txt": ("test", "semantic"),
    "bench.txt": ("test", "semantic", "bench"),
}


def declarations(extras: tuple[str, ...]) -> dict:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    optional = project.get("optional-dependencies", {})
    missing = [extra for extra in extras if extra not in optional]
    if missing:
        raise SystemExit(f"pyproject.toml: no optional-dependencies group {', '.join(missing)}")
    return {
        "requires-python": project.get("requires-python"),
        "dependencies": sorted(project.get("dependencies", [])),
        "extras": {extra: sorted(optional[extra]) for extra in extras},
        "constraints": CONSTRAINTS.read_text(encoding="utf-8") if CONSTRAINTS.exists() else "",
    }


def digest(extras: tuple[str, ...]) -> str:
    canonical = json.dumps(declarations(extras), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def refresh() -> None:
    for name, extras in LOCKS.items():
        out = REQUIREMENTS / name
        command = [
            sys.executable,
            "-m",
            "piptools",
            "compile",
            "--quiet",
            "--strip-extras",
            "--allow-unsafe",
            "--no-emit-index-url",
            "--no-emit-find-links",
            "--constraint",
            str(CONSTRAINTS.relative_to(ROOT)),
            "--output-file",
            str(out.relative_to(ROOT)),
        ]
        for extra in extras:
            command += ["--extra", extra]
        command.append("pyproject.toml")
        print(f"compiling requirements/{name} ...", flush=True)
        subprocess.run(command, cwd=ROOT, check=True)
        lines = [line for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith(DIGEST_PREFIX)]
        out.write_text("\n".join([DIGEST_PREFIX + digest(extras), *lines]) + "\n", encoding="utf-8")


def pins(path: Path) -> dict[str, str]:
    from packaging.utils import canonicalize_name

    found = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if "==" in line and not line.startswith("-"):
            name, version = line.split("==", 1)
            found[canonicalize_name(name.split("[")[0].strip())] = version.split(";")[0].strip()
    return found


def problems(name: str, extras: tuple[str, ...]) -> list[str]:
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    path = REQUIREMENTS / name
    if not path.exists():
        return [f"requirements/{name} is missing"]
    found: list[str] = []
    recorded = next(
        (
            line[len(DIGEST_PREFIX) :].strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith(DIGEST_PREFIX)
        ),
        None,
    )
    if recorded != digest(extras):
        found.append(f"requirements/{name} was compiled from other dependency declarations than pyproject.toml's")
    pinned = pins(path)
    wanted = declarations(extras)
    for spec in [*wanted["dependencies"], *(s for group in wanted["extras"].values() for s in group)]:
        requirement = Requirement(spec)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        version = pinned.get(canonicalize_name(requirement.name))
        if version is None:
            found.append(f"requirements/{name}: {requirement.name} is declared in pyproject.toml but not pinned")
        elif not requirement.specifier.contains(Version(version), prereleases=True):
            found.append(
                f"requirements/{name}: {requirement.name}=={version} does not satisfy "
                f"pyproject.toml's {requirement.name}{requirement.specifier}"
            )
    return found


def check() -> int:
    found = [problem for name, extras in LOCKS.items() for problem in problems(name, extras)]
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        print(
            "pyproject.toml and the lock disagree: run `python scripts/lock.py` and commit requirements/.",
            file=sys.stderr,
        )
        return 1
    print(f"lock: {len(LOCKS)} files match pyproject.toml")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        raise SystemExit(check())
    if sys.argv[1:]:
        raise SystemExit(__doc__)
    refresh()
