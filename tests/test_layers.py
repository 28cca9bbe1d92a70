"""The import graph: layers hold (import-linter's contracts) and no module cycles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]


def _cycles() -> list[list[str]]:
    graph = grimp.build_graph("genai_async", exclude_type_checking_imports=True)
    modules = sorted(m for m in graph.modules if m.startswith("genai_async"))
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for dep in edges.get(module, []):
            # a package's __init__ re-exporting its own submodules is not a cycle of layers
            if dep.startswith(module + ".") or module.startswith(dep + "."):
                continue
            if state.get(dep) == 1:
                found.append([*path[path.index(dep) :], dep])
            elif dep in edges and dep not in state:
                visit(dep)
        path.pop()
        state[module] = 2

    for module in modules:
        if module not in state:
            visit(module)
    return found


def test_no_import_cycles() -> None:
    assert _cycles() == []


def test_import_contracts_are_kept() -> None:
    exe = Path(sys.executable).parent / "lint-imports"
    proc = subprocess.run(
        [str(exe) if exe.exists() else "lint-imports"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
