"""Reading YAML while keeping line numbers, so that every pack error can name its line.

PyYAML's composer gives each node a start mark; we build plain Python data from the
node tree and, alongside it, a map from each path (``("rules", 3, "when")``) to the
line it starts on. Duplicate keys, which PyYAML would silently collapse, are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from ..domain import Problem

Path = tuple[Any, ...]


@dataclass
class Source:
    """Data read from one YAML file, with the line of every path in it."""

    file: str
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int | None:
        """Line of ``path``, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def problem(self, message: str, path: Path = (), *, field_name: str | None = None, value: object = None) -> Problem:
        return Problem(
            message, field=field_name or _dotted(path) or None, line=self.line(path), file=self.file, value=value
        )


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_yaml(text: str, file: str) -> tuple[Source | None, list[Problem]]:
    """Parse ``text``; on a syntax error return the problem with its line."""
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as error:  # e.g. a control character, refused before any parsing
        return None, [Problem(f"not valid YAML: {error}", file=file, line=1)]
    try:
        node = loader.get_single_node()
        if node is None:
            return Source(file, None), [Problem("the file is empty", file=file, line=1)]
        lines: dict[Path, int] = {}
        problems: list[Problem] = []
        data = _build(loader, node, (), lines, problems, file)
        return Source(file, data, lines), problems
    except yaml.YAMLError as error:  # also ReaderError (e.g. a control character), which has no mark
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        line = mark.line + 1 if mark else None
        return None, [Problem(f"not valid YAML: {getattr(error, 'problem', None) or error}", file=file, line=line)]
    finally:
        loader.dispose()


def _build(loader: yaml.SafeLoader, node: yaml.Node, path: Path, lines: dict, problems: list, file: str) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        own = {id(k) for k, _v in node.value if k.tag != "tag:yaml.org,2002:merge"}
        loader.flatten_mapping(node)  # resolves YAML merge keys ("<<: *anchor"); explicit keys override merged ones
        out: dict = {}
        merged: set = set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                problems.append(Problem("a key must be a plain value", file=file, line=key_node.start_mark.line + 1))
                continue
            if id(key_node) not in own:
                merged.add(key)
            elif key in merged:
                merged.discard(key)
            elif key in out:
                problems.append(
                    Problem(
                        f"duplicate key '{key}' (a later value would silently replace the earlier one)",
                        file=file,
                        line=key_node.start_mark.line + 1,
                        field=_dotted(path + (key,)),
                    )
                )
            lines[path + (key,)] = key_node.start_mark.line + 1
            out[key] = _build(loader, value_node, path + (key,), lines, problems, file)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, path + (i,), lines, problems, file) for i, item in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except ValueError as error:  # e.g. a date that does not exist: 2023-02-30
        problems.append(
            Problem(
                f"'{node.value}' is not a valid value here: {error}",
                file=file,
                line=node.start_mark.line + 1,
                field=_dotted(path) or None,
                value=node.value,
            )
        )
        return node.value
