"""The house's rules that a reviewer would otherwise have to remember
(ARCHITECTURE.md): demo code sits above the product, modules stay readable."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_APPS = [
    "accounts",
    "audit",
    "claims",
    "contributions",
    "documents",
    "ibsu",
    "outbox",
    "plan",
    "privacy",
]
LONGEST = 400  # lines, outside tests, the bench and migrations


def python_files(*folders: str):
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_product_app_imports_the_demo():
    wrong = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in python_files(*PRODUCT_APPS)
        for module in imported_modules(path)
        if module == "demo" or module.startswith("demo.")
    ]

    assert wrong == []


def test_no_module_is_longer_than_one_sitting():
    long = [
        f"{path.relative_to(ROOT)}: {length} lines"
        for path in python_files(*PRODUCT_APPS, "demo")
        if (length := len(path.read_text().splitlines())) > LONGEST
    ]

    assert long == []


def test_no_file_keeps_a_merge_conflict():
    """A merge left `<<<<<<< HEAD` in the heirs page, shown to members as text."""
    markers = ("<<<<<<< ", "\n=======\n", ">>>>>>> ")
    kept = [
        str(path.relative_to(ROOT))
        for folder in ("templates", "static", "locale", *PRODUCT_APPS)
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".html", ".txt", ".py", ".po", ".css", ".js"}
        and any(marker in path.read_text() for marker in markers)
    ]

    assert kept == []
