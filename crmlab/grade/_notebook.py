"""Reading one submitted notebook without running it.

It finds its code cells, the student's name cell, the ``check`` calls that
answer each task, and reads of crmlab internals.

Everything here works on the cells' text with :mod:`ast` (never by executing them).
"""

from __future__ import annotations

import ast
import io
import json
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["NAME_VARIABLES", "Parsed", "instrument", "parse_notebook", "runnable_source"]

#: Variables of a name cell, in the order they name the student (学号 first).
NAME_VARIABLES = ("student", "学号", "student_id", "姓名", "student_name")
#: Names and attributes that reach the expected answers or the registry.
INTERNALS = frozenset({"expected_answer", "_REGISTRY", "_BROKEN", "_check", "get_task",
                       "expected", "slips", "mistakes", "_core"})
#: Public helpers the course's own exercise notebooks import from a chapter's module
#: (not answers): importing only these is not flagged.
HELPERS = {"crmlab.exercises.ch7": frozenset({"query"})}
_TASK_ID = re.compile(r"^ch\d+\.[A-Za-z_]\w*$")
#: Largest notebook read (bytes) and longest student name kept (characters).
MAX_BYTES = 64 * 2 ** 20
MAX_NAME = 80
#: Longest code cell and longest code of a notebook (characters) the grader parses.
MAX_CELL, MAX_CODE = 100_000, 1_000_000


class NotebookError(ValueError):
    """The file is not a readable notebook (the message says why, in Chinese)."""


@dataclass
class Parsed:
    """What the static reading of a notebook found."""

    cells: list[str]
    student: str = ""                                   # from the name cell, if any
    task_cells: dict[str, list[int]] = field(default_factory=dict)   # task id -> cells
    internals: list[str] = field(default_factory=list)  # "第 3 格：expected_answer"
    redefines_check: bool = False
    imports: set[str] = field(default_factory=set)       # modules the cells import
    syntax_errors: dict[int, str] = field(default_factory=dict)

    @property
    def chapters(self) -> set[str]:
        return {task.split(".", 1)[0] for task in self.task_cells}


def runnable_source(source: str) -> str | None:
    """Return the cell's Python with IPython magics and shell lines blanked.

    Line numbers are kept; None for a cell magic (``%%...``), which plain
    Python cannot run.
    """
    if source.lstrip().startswith("%%"):
        return None
    lines = source.split("\n")
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)


def _check_names(tree: ast.AST) -> set[str]:
    """Local names under which ``check`` was imported (``check`` and any ``as`` alias)."""
    names = {"check"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("crmlab"):
            names.update(a.asname for a in node.names if a.name == "check" and a.asname)
    return names


def _task_of(call: ast.Call, names: set[str]) -> str | None:
    func = call.func
    if not ((isinstance(func, ast.Name) and func.id in names)
            or (isinstance(func, ast.Attribute) and func.attr == "check")):
        return None
    if not call.args or not isinstance(call.args[0], ast.Constant):
        return None
    task = call.args[0].value
    has_answer = len(call.args) >= 2 or any(k.arg == "answer" for k in call.keywords)
    return task if isinstance(task, str) and _TASK_ID.match(task) and has_answer else None


def _internals(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in INTERNALS:
            found.append(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in INTERNALS:
            found.append(node.attr)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            helpers = HELPERS.get(module, frozenset())
            if module.startswith("crmlab.exercises.") and not (
                    node.names and all(a.name in helpers for a in node.names)):
                found.append(module)
            found.extend(a.name for a in node.names if a.name in INTERNALS)
        elif isinstance(node, ast.Import):
            found.extend(a.name for a in node.names if a.name.startswith("crmlab.exercises."))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.value in INTERNALS - {"expected", "mistakes"}:
            found.append(node.value)          # getattr(module, "_REGISTRY")
    return list(dict.fromkeys(found))


def _imports(tree: ast.AST) -> set[str]:
    """Modules a cell imports (``from crmlab import clv`` counts as ``crmlab.clv``)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _redefines(tree: ast.AST, names: set[str]) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) \
                and node.name in names:
            return True
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in names:
            return True
    return False


def _mentioned_tasks(source: str) -> list[str]:
    """Task ids written as string literals in a cell that does not parse (tokens only)."""
    found = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING:
                text = token.string.strip("'\"")
                if _TASK_ID.match(text):
                    found.append(text)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    return found


def _student(tree: ast.Module) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str | int):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in NAME_VARIABLES:
                    text = str(node.value.value).strip()
                    if text and text not in ("...", "你的名字", "你的学号"):
                        found.setdefault(target.id, text)
    return found


def _source(cell: dict) -> str:
    """Return a code cell's source as one string; NotebookError when it is not text."""
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        source = "".join(source)
    if not isinstance(source, str):
        raise NotebookError("不是有效的 notebook：代码格的 source 不是文字")
    return source


def read_cells(path: Path) -> list[str]:
    """Return the code cells' sources of the notebook at ``path``; NotebookError if unreadable."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise NotebookError(f"文件过大（{path.stat().st_size:,} 字节，上限 {MAX_BYTES:,}）")
        raw = path.read_bytes()
    except OSError as error:
        raise NotebookError(f"无法读取文件（{type(error).__name__}）") from None
    if not raw.strip():
        raise NotebookError("文件是空的（0 字节）")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise NotebookError("不是有效的 notebook：文件不是 JSON（可能已损坏或被截断）") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookError("不是有效的 notebook：缺少 cells 列表")
    cells = [_source(cell) for cell in data["cells"]
             if isinstance(cell, dict) and cell.get("cell_type") == "code"]
    sizes = [len(c) for c in cells]
    if max(sizes, default=0) > MAX_CELL or sum(sizes) > MAX_CODE:
        # the grader parses every cell itself: a huge one would cost it minutes and GiBs
        raise NotebookError(f"代码过长（单个代码格上限 {MAX_CELL:,} 个字符，"
                            f"全部代码上限 {MAX_CODE:,} 个字符）")
    return cells


def parse_notebook(path: Path) -> Parsed:
    """Read the notebook at ``path`` statically (see module docstring)."""
    parsed = Parsed(cells=read_cells(path))
    names: dict[str, str] = {}
    for index, source in enumerate(parsed.cells):
        code = runnable_source(source)
        if code is None:
            continue
        try:
            tree = ast.parse(code)
            _read_cell(parsed, index, tree, names)
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
            parsed.syntax_errors[index] = (
                "代码嵌套过深，无法分析" if isinstance(error, RecursionError | MemoryError)
                else f"{type(error).__name__}: {getattr(error, 'msg', error)}")
            for task in _mentioned_tasks(code):
                if index not in parsed.task_cells.setdefault(task, []):
                    parsed.task_cells[task].append(index)
    if "student" in names:
        parsed.student = names["student"]
    else:
        parsed.student = "_".join(names[k] for k in NAME_VARIABLES[1:] if k in names
                                  and k not in ("student",))
    parsed.student = clean_name(parsed.student)
    return parsed


def _read_cell(parsed: Parsed, index: int, tree: ast.Module, names: dict[str, str]) -> None:
    """Note what cell ``index`` (parsed as ``tree``) answers, imports and names."""
    check_names = _check_names(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (task := _task_of(node, check_names)):
            cells = parsed.task_cells.setdefault(task, [])
            if index not in cells:
                cells.append(index)
    parsed.internals += [f"第 {index + 1} 个代码格：{name}" for name in _internals(tree)]
    parsed.redefines_check |= _redefines(tree, check_names)
    parsed.imports |= _imports(tree)
    for key, value in _student(tree).items():
        names.setdefault(key, value)


def clean_name(text: str) -> str:
    r"""Return a student name fit for the report: printable, valid UTF-8, at most 80 characters.

    >>> clean_name("张三\n\x00" + "x" * 100)[:6]
    '张三 xxx'
    """
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(text.split())[:MAX_NAME]


class _Capture(ast.NodeTransformer):
    """``check("chN.exK", x)`` -> ``check("chN.exK", <capture>("chN.exK", x))``."""

    def __init__(self, capture: str, names: set[str]) -> None:
        self.capture = capture
        self.names = names

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        task = _task_of(node, self.names)
        if task is None:
            return node
        wrap = lambda value: ast.Call(ast.Name(self.capture, ast.Load()),  # noqa: E731
                                      [ast.Constant(task), value], [])
        if len(node.args) >= 2:
            node.args[1] = wrap(node.args[1])
        else:
            for keyword in node.keywords:
                if keyword.arg == "answer":
                    keyword.value = wrap(keyword.value)
        return node


def instrument(source: str, capture: str) -> ast.Module:
    """Return the cell's syntax tree with every task's answer passed through ``capture``.

    Raises SyntaxError like ``compile``.
    """
    tree = ast.parse(source)
    tree = _Capture(capture, _check_names(tree)).visit(tree)
    return ast.fix_missing_locations(tree)
