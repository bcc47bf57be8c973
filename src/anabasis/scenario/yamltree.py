"""Read a YAML file into plain data, remembering the line of every value.

Scenario files come from authors and from anywhere else, so this reader is defensive: it refuses
files that are too large, not text, nested too deeply, expanded too far by aliases, or tagged to build
objects, always with a line number. It walks the C parser's event stream with an explicit stack, so
no input can exhaust Python's recursion.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

import yaml

from anabasis.scenario.problems import Path, Problem, ScenarioError
from anabasis.userfiles import UnreadableFile, read_bounded

MAX_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 1_000_000

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_CONTAINER_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", None, "!"}


@dataclass
class Document:
    """A file's data and where each value stands: `lines[path]` is the 1-based line of that value."""

    file: str
    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int:
        """The line of `path`, or of its nearest ancestor that has one."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)


def _fail(file: str, line: int, message: str) -> ScenarioError:
    return ScenarioError([Problem(file, line, "", message)])


def read_text(path: FsPath, shown: str) -> str:
    """The file's text, or a ScenarioError saying plainly why it cannot be read as a scenario."""
    try:
        raw = read_bounded(path, MAX_BYTES, "scenario file")
    except UnreadableFile as err:
        raise _fail(shown, 0, err.reason) from None
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise _fail(shown, line, "is not a text file (it holds a NUL byte); a scenario is UTF-8 YAML")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise _fail(shown, line, f"is not UTF-8 text (byte 0x{raw[err.start]:02x}); save it as UTF-8") from err


class _Builder:
    """Builds plain data from parser events with an explicit stack of open containers."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[Path, int] = {}
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.nodes = 0
        self.scalars: dict[tuple[Any, ...], Any] = {}
        self.resolver = yaml.resolver.Resolver()
        self.constructor = yaml.constructor.SafeConstructor()
        # Each frame: (container, path, pending key for mappings, anchor, size before it opened).
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.done = False

    def _path(self) -> Path:
        if not self.stack:
            return ()
        container, path, key = self.stack[-1][0], self.stack[-1][1], self.stack[-1][2]
        if isinstance(container, list):
            return (*path, len(container))
        return (*path, key)

    def _add(self, value: Any, line: int, size: int) -> None:
        self.nodes += size
        if self.nodes > MAX_NODES:
            raise _fail(self.file, line, f"expands to over {MAX_NODES:,} values (anchors and aliases?)")
        if not self.stack:
            if self.done:
                raise _fail(self.file, line, "holds more than one YAML document; a scenario file is one")
            self.root, self.done = value, True
            return
        frame = self.stack[-1]
        container = frame[0]
        if isinstance(container, list):
            container.append(value)
            return
        key = frame[2]
        if key is _NO_KEY:
            if not isinstance(value, str | int | float | bool | dt.date) or value is None:
                raise _fail(self.file, line, "a mapping key must be a plain word")
            key = str(value)
            if key in container:
                first = self.lines.get((*frame[1], key), line)
                raise ScenarioError(
                    [
                        Problem(
                            self.file,
                            line,
                            ".".join(str(k) for k in (*frame[1], key)),
                            f"the key {key!r} appears twice in the same mapping (first at line {first})",
                        )
                    ]
                )
            frame[2] = key
            self.lines[(*frame[1], key)] = line
            return
        container[key] = value
        frame[2] = _NO_KEY

    def _scalar(self, event: yaml.ScalarEvent, line: int) -> Any:
        # Scenario files repeat the same few values (ids, kinds, dates, `history`) thousands of times;
        # every constructed scalar is immutable, so each distinct one is built once per file.
        key = (event.tag, event.value, event.implicit)
        if key in self.scalars:
            return self.scalars[key]
        value = self._construct(event, line)
        self.scalars[key] = value
        return value

    def _construct(self, event: yaml.ScalarEvent, line: int) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        if tag not in _ALLOWED_TAGS:
            raise _fail(
                self.file, line, f"the YAML tag {_short(tag)} is not allowed; a scenario holds plain values only"
            )
        node = yaml.ScalarNode(tag, event.value)
        try:
            return self.constructor.construct_object(node)
        except (yaml.YAMLError, ValueError) as err:
            raise _fail(self.file, line, f"{event.value!r} is not a valid {tag.rsplit(':', 1)[-1]}") from err

    def feed(self, event: yaml.Event) -> None:
        mark = event.start_mark
        line = mark.line + 1 if mark is not None else 1
        if isinstance(event, yaml.DocumentStartEvent) and self.done:
            raise _fail(self.file, line, "holds more than one YAML document; a scenario file is one")
        if isinstance(event, yaml.ScalarEvent):
            value = self._scalar(event, line)
            stack = self.stack
            if not (stack and isinstance(stack[-1][0], dict) and stack[-1][2] is _NO_KEY):  # a key has no line yet
                self.lines.setdefault(self._path(), line)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self._add(value, line, 1)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if event.tag not in _CONTAINER_TAGS:
                raise _fail(
                    self.file,
                    line,
                    f"the YAML tag {_short(str(event.tag))} is not allowed; a scenario holds plain values only",
                )
            if self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is _NO_KEY:
                raise _fail(self.file, line, "a mapping key must be a plain word")
            if len(self.stack) >= MAX_DEPTH:
                raise _fail(self.file, line, f"nests deeper than {MAX_DEPTH} levels")
            path = self._path()
            self.lines.setdefault(path, line)
            container: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
            self.stack.append([container, path, _NO_KEY, event.anchor, self.nodes])
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            container, _, _, anchor, before = self.stack.pop()
            size = self.nodes - before + 1
            self.nodes = before
            if anchor:
                self.anchors[anchor] = (container, size)
            self._add(container, line, size)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in self.anchors:
                raise _fail(self.file, line, f"the alias *{event.anchor} names no anchor defined before it")
            value, size = self.anchors[event.anchor]
            if not (self.stack and isinstance(self.stack[-1][0], dict) and self.stack[-1][2] is _NO_KEY):
                self.lines.setdefault(self._path(), line)
            self._add(value, line, size)


def _short(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


class _NoKey:
    def __repr__(self) -> str:
        return "<no key>"


_NO_KEY = _NoKey()


_FLOW_TOKEN = re.compile(r"""[\[\]{}]|'[^']*'|"(?:[^"\\]|\\.)*"|(?<!\S)#.*""")


def _too_deep(text: str, limit: int) -> int | None:
    """The line where `text` first nests deeper than `limit`, counting indentation and open brackets roughly.

    The parser looks ahead of the events it hands over, so a library with a nesting limit of its own may stop
    before the builder sees depth `limit`; this count lets the project's limit, not the library's, be the one
    reported whatever the library's version."""
    flow = 0
    indents: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if flow == 0:
            body = line.lstrip(" ")
            if not body or body.startswith("#"):
                continue
            column = len(line) - len(body)
            while indents and indents[-1] > column:
                indents.pop()
            if not indents or indents[-1] < column:
                indents.append(column)
            while body.startswith("- "):  # `- - - x` opens a sequence at each dash
                column += 2
                body = body[2:].lstrip(" ")
                indents.append(column)
        for token in _FLOW_TOKEN.finditer(line):
            mark = token.group()
            if mark in "[{":
                flow += 1
                if flow + len(indents) > limit:
                    return number
            elif mark in "]}":
                flow = max(flow - 1, 0)
        if len(indents) > limit:
            return number
    return None


def parse_yaml(text: str, file: str) -> Document:
    """Parse YAML text into a Document, or raise ScenarioError with the line of the first fault."""
    builder = _Builder(file)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as err:
        deep = _too_deep(text, MAX_DEPTH)
        if deep is not None:
            raise _fail(file, deep, f"nests deeper than {MAX_DEPTH} levels") from err
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = err.problem or err.context or "malformed YAML"
        raise _fail(file, line, f"YAML syntax: {what}") from err
    except yaml.YAMLError as err:
        raise _fail(file, 1, f"YAML syntax: {err}") from err
    return Document(file, builder.root, builder.lines)


def read_yaml(path: FsPath, shown: str | None = None) -> Document:
    """Read and parse a YAML file; `shown` is how the file is named in messages."""
    shown = shown if shown is not None else str(path)
    return parse_yaml(read_text(path, shown), shown)
