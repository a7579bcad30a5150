"""Facts about Huoban's import graph (issue #11): which app imports which, the cycles between
apps, and the function-local imports of ``huoban.*`` that hide them.

    .venv/bin/python bench/import_graph.py [--edges]

Reads the source with ``ast`` (nothing is imported). An *app* is the first package under
``huoban`` (``huoban.leads.services`` → ``leads``); top-level modules (``huoban.clock``) are
apps of their own. Migrations are left out (they name apps by label, not by import).
"""

from __future__ import annotations

import argparse
import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "huoban"


UI_PARTS = {
    "api",
    "admin",
    "apps",
    "forms",
    "urls",
    "views",
    "templatetags",
    "console",
    "portal",
    "management",
}
UI_MODULES = {
    "huoban.api",
    "huoban.urls",
    "huoban.web",
    "huoban.pagination",
    "huoban.backoffice",
    "huoban.cli",
    "huoban.settings",
    "huoban.wsgi",
}


# Where a function-local import of huoban.* is the rule, not a hidden cycle (D-FRAME-14):
LOCAL_IMPORT_ALLOWED = {
    # Django calls AppConfig.ready() once the registry is loaded; models cannot be imported
    # when apps.py is, so the hook wiring imports inside ready().
    "apps.py": "AppConfig.ready() wires hooks once the app registry is ready",
    # The command line parses its arguments and configures Django before it imports anything
    # that touches models (``huoban demo``, ``huoban manage`` …).
    "cli.py": "the command line imports after django.setup()",
    # Business days are computed by pure code used outside Django too; the holiday table is
    # read only when a date needs it.
    "calendar.py": "the business-day arithmetic stays importable without Django",
}


def allowed_local(path: Path) -> bool:
    return path.name in LOCAL_IMPORT_ALLOWED


def layer_of(module: str) -> str:
    """``ui`` for pages, API routers, the back office, forms, the command line, the demo and
    the app configs that wire hooks;
    ``domain`` for models, services, rules and the shared modules below them."""
    parts = module.split(".")
    if module in UI_MODULES or parts[1:2] == ["demo"]:
        return "ui"
    if any(p in UI_PARTS or p.startswith("views_") for p in parts[1:]):
        return "ui"
    return "domain"


def app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "huoban"


def module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[str, bool, int]]:
    """(imported huoban module, inside a function?, line) for each import of huoban.*"""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, local: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue  # for the type checker only: no import at run time
            inner = local or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("huoban"):
                        found.append((alias.name, local, child.lineno))
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    target = ".".join([*base, *([child.module] if child.module else [])])
                else:
                    target = child.module or ""
                if target.startswith("huoban"):
                    found.append((target, local, child.lineno))
            visit(child, inner)

    visit(tree, False)
    return found


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of apps that import each other (size > 1)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    groups: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return groups


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edges", action="store_true", help="print every app → app edge")
    args = parser.parse_args()
    graph: dict[str, set[str]] = defaultdict(set)  # domain modules only, by app
    why: dict[tuple[str, str], list[str]] = defaultdict(list)
    local: list[str] = []
    unexplained: list[str] = []
    files = [p for p in SRC.rglob("*.py") if "migrations" not in p.parts]
    domain = 0
    for path in sorted(files):
        module = module_name(path)
        source = app_of(module)
        is_domain = layer_of(module) == "domain"
        domain += is_domain
        for target, inside, line in imports(path):
            target_app = app_of(target)
            rel = f"{path.relative_to(SRC)}:{line} → {target}"
            if inside:
                local.append(rel)
                if not allowed_local(path):
                    unexplained.append(rel)
            if is_domain and target_app != source:
                graph[source].add(target_app)
                why[(source, target_app)].append(rel)
    cycles = strongly_connected(graph)
    print(f"modules: {len(files)} ({domain} domain, {len(files) - domain} ui)")
    print(f"app → app edges between domain modules: {sum(len(v) for v in graph.values())}")
    print(f"function-local imports of huoban.*: {len(local)}")
    print(
        f"  of which outside the named exceptions ({', '.join(LOCAL_IMPORT_ALLOWED)}): "
        f"{len(unexplained)}"
    )
    for rel in unexplained:
        print("    " + rel)
    print(f"groups of apps whose domain modules import each other: {len(cycles)}")
    for group in cycles:
        print("  cycle: " + " ⇄ ".join(group))
        for a in group:
            for b in group:
                if (a, b) in why:
                    print(f"    {a} → {b}: {len(why[(a, b)])} imports, e.g. {why[(a, b)][0]}")
    if args.edges:
        for (a, b), lines in sorted(why.items()):
            print(f"{a} → {b}: {len(lines)}")
        print("function-local:")
        for rel in local:
            print("  " + rel)


if __name__ == "__main__":
    main()
