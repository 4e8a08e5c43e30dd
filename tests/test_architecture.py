"""Which app may import which (docs/architecture.md), checked by import-linter on every run:
the contracts are in pyproject.toml."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_no_app_imports_an_app_above_it() -> None:
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def test_the_check_finds_the_imports_it_forbids(tmp_path: Path) -> None:
    """The same analysis with two layers swapped is broken by agenda's real imports of members."""
    config = tmp_path / "upside-down.ini"
    config.write_text(
        "[importlinter]\n"
        "root_packages =\n    members\n    agenda\n\n"
        "[importlinter:contract:upside-down]\n"
        "name = members above agenda\n"
        "type = layers\n"
        "layers =\n    members\n    agenda\n"
    )
    result = lint_imports(str(config))
    assert result.returncode == 1
    assert "members above agenda BROKEN" in result.stdout
    assert "agenda." in result.stdout
