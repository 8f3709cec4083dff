"""The import contract (``[tool.importlinter]`` in pyproject.toml, run by bin/test as ``lint-imports``).

The tree keeps it, and a copy of the tree with a planted violation breaks it: an app importing another
app's views, the core importing an app to its right, and an app importing the demo data above them all.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("mentorship", "accounts", "notifications", "participants", "roadmaps", "monitoring", "reports", "demodata")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own venv's script, fixed arguments)
        [str(LINT_IMPORTS), "--config", str(where / "pyproject.toml"), "--no-cache"],
        cwd=where,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def copy_of_the_tree(target: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, target / package, ignore=shutil.ignore_patterns("__pycache__", "*.html"))
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_tree_keeps_the_import_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_planted_cross_app_views_core_and_demodata_imports_break_the_contract(tmp_path):
    tree = copy_of_the_tree(tmp_path)
    (tree / "participants" / "planted.py").write_text("from roadmaps.views import RoadmapListView\n")
    (tree / "mentorship" / "planted.py").write_text("from participants.models import Person\n")
    (tree / "reports" / "planted.py").write_text("from demodata.demo import DemoReport\n")
    result = lint_imports(tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Only roadmaps imports its views BROKEN" in result.stdout
    assert "participants.planted -> roadmaps.views" in result.stdout
    assert "mentorship.planted -> participants.models" in result.stdout
    assert "reports.planted -> demodata.demo" in result.stdout
    assert "Only participants imports its views KEPT" in result.stdout
