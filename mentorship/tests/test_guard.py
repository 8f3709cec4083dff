"""The guard: permission questions are answered by the access layer, the services and the base views only.

A view, form, selector or task that raises ``PermissionDenied`` itself, reads ``is_superuser`` or
queries ``RoleAssignment`` is a second, hand-written copy of a rule kept in ``mentorship/access.py``;
a changed rule would be edited in one copy and missed in the other. This module reads every
project module's syntax tree (``ast``, never a text search, so comments and docstrings may name
the words) and lists each such place.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Paths (relative to the repository, ``fnmatch`` patterns: ``*`` crosses folders) where the guard does
# not look, each with why.
ALLOWED: dict[str, str] = {
    # The access layer itself: the one place that turns roles into places and permissions.
    "mentorship/access.py": "the access layer",
    "mentorship/querysets.py": "restrict(), built on the access layer",
    # Services refuse an actor who may not act (PermissionDenied) and check their grants through access.
    "services.py": "a service module at the top level",
    "*/services.py": "a service module",
    "*/services/*": "a services package (Zulip actions/ style)",
    # The shared base views turn a refusal into 403/404 once for every view.
    "mentorship/views/generic.py": "the base views",
    # Outside the guard's reach: they create users and roles rather than ask about them.
    "*/tests/*": "tests",
    "e2e/*": "browser journeys (tests)",
    "conftest.py": "the suite's options (tests)",
    "*/migrations/*": "migrations",
    "demodata/*": "the demo loaders, the scale generators and their commands",
    "bench/*": "benchmarks seed their own users and roles, like the scale generator",
    "mentorship/admin.py": "the admin is for administrators only and edits role assignments",
}

# Folders that hold no project code.
SKIPPED_FOLDERS = {".venv", "node_modules", "__pycache__", "staticfiles", "media", "test-results"}

ROLE_ASSIGNMENT_MANAGERS = {"objects", "_default_manager", "_base_manager"}
# Keyword arguments naming a relation rather than querying it.
RELATION_NAMING_KEYWORDS = {"related_name", "related_query_name"}


@dataclass(frozen=True, order=True)
class Violation:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


class _Finder(ast.NodeVisitor):
    def __init__(self, path: str) -> None:
        self.path = path
        self.found: list[Violation] = []
        self._seen: set[int] = set()

    def _add(self, node: ast.AST, what: str) -> None:
        self.found.append(Violation(self.path, node.lineno, what))

    # --- PermissionDenied ---------------------------------------------------------------------------

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "PermissionDenied":
                self._add(node, "imports PermissionDenied")

    def visit_Raise(self, node: ast.Raise) -> None:
        if node.exc is not None and _names_permission_denied(node.exc):
            self._add(node, "raises PermissionDenied")
            self._seen.update(id(n) for n in ast.walk(node.exc))
        self.generic_visit(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None and _names_permission_denied(node.type):
            self._add(node, "catches PermissionDenied")
            self._seen.update(id(n) for n in ast.walk(node.type))
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id == "PermissionDenied" and id(node) not in self._seen:
            self._add(node, "uses PermissionDenied")

    # --- is_superuser, RoleAssignment managers, role_assignments --------------------------------------

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "PermissionDenied" and id(node) not in self._seen:
            self._add(node, "uses PermissionDenied")
        elif node.attr == "is_superuser" and isinstance(node.ctx, ast.Load):
            self._add(node, "reads .is_superuser")
        elif (
            node.attr in ROLE_ASSIGNMENT_MANAGERS
            and _is_name(node.value, "RoleAssignment")
            and id(node) not in self._seen
        ):
            self._add(node, f"queries RoleAssignment.{node.attr}")
        elif node.attr == "role_assignments":
            self._add(node, "queries the role_assignments related manager")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        # ``RoleAssignment.objects.restrict(user, action)`` is the access layer's own way in.
        if isinstance(node.func, ast.Attribute) and node.func.attr == "restrict":
            self._seen.add(id(node.func.value))
        for keyword in node.keywords:
            if keyword.arg and _is_role_assignments_lookup(keyword.arg):
                self._add(keyword.value, f"queries role assignments by the lookup {keyword.arg}")
            if keyword.arg in RELATION_NAMING_KEYWORDS:
                self._seen.update(id(n) for n in ast.walk(keyword.value))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and _is_role_assignments_lookup(node.value) and id(node) not in self._seen:
            self._add(node, f"queries role assignments by the lookup {node.value!r}")


def _is_name(node: ast.AST, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _names_permission_denied(node: ast.AST) -> bool:
    """Whether an exception expression (``X``, ``X(...)``, ``m.X``, or a tuple of them) is PermissionDenied."""
    return any(
        (isinstance(n, ast.Name) and n.id == "PermissionDenied")
        or (isinstance(n, ast.Attribute) and n.attr == "PermissionDenied")
        for n in ast.walk(node)
    )


def _is_role_assignments_lookup(text: str) -> bool:
    return text == "role_assignments" or text.startswith("role_assignments__")


def violations_in(source: str, path: str) -> list[Violation]:
    """Every place in ``source`` (the module at ``path``) that asks a permission question by hand."""
    finder = _Finder(path)
    finder.visit(ast.parse(source, filename=path))
    return sorted(finder.found)


def is_allowed(path: str) -> bool:
    return any(fnmatch(path, pattern) for pattern in ALLOWED)


def project_modules(root: Path) -> list[str]:
    """Every Python module under ``root`` (relative posix paths), the virtualenv and such left out."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED_FOLDERS and not d.startswith("."))
        for name in files:
            if name.endswith(".py"):
                found.append(Path(folder, name).relative_to(root).as_posix())
    return sorted(found)


def tree_violations(root: Path) -> list[Violation]:
    """Every violation in the project modules under ``root`` outside the allowed paths."""
    return [
        violation
        for path in project_modules(root)
        if not is_allowed(path)
        for violation in violations_in((root / path).read_text(encoding="utf-8"), path)
    ]


# --- the tree --------------------------------------------------------------------------------------------


def test_no_module_outside_the_access_layer_services_and_base_views_asks_permission_questions_by_hand():
    found = tree_violations(ROOT)
    assert not found, "\n".join(map(str, found))


def test_the_guard_reads_the_views_forms_and_selectors_of_every_app():
    modules = project_modules(ROOT)
    checked = [path for path in modules if not is_allowed(path)]
    for app in ("mentorship", "participants", "roadmaps", "monitoring", "reports", "notifications"):
        assert any(path.startswith(f"{app}/") and "views" in path for path in checked), app
    assert {"participants/forms.py", "roadmaps/selectors.py", "mentorship/imports/registry.py"} <= set(checked)
    assert not any("/.venv/" in f"/{path}" or "/node_modules/" in f"/{path}" for path in modules)


def test_the_allowed_paths_are_the_access_layer_services_base_views_and_what_is_out_of_reach():
    allowed = {
        "mentorship/access.py",
        "mentorship/querysets.py",
        "mentorship/views/generic.py",
        "participants/services/__init__.py",
        "participants/services/common.py",
        "participants/services/pairs.py",
        "participants/services/consents.py",
        "mentorship/imports/services.py",
        "participants/tests/test_views.py",
        "mentorship/migrations/0001_initial.py",
        "demodata/demo/participants.py",
        "demodata/scale/monitoring.py",
        "demodata/management/commands/generate_scale.py",
        "demodata/management/commands/load_demo.py",
        "mentorship/admin.py",
        "e2e/test_personas.py",
    }
    checked = {
        "mentorship/views/directory.py",
        "mentorship/views/imports.py",
        "mentorship/context_processors.py",
        "participants/views.py",
        "participants/forms.py",
        "participants/admin.py",
        "reports/documents.py",
        "roadmaps/views_import.py",
        "participants/services_helpers.py",
        "mentorship/access_extra.py",
        # A generator back in a domain package would be read like the rest of it.
        "participants/demo.py",
        "monitoring/scale.py",
        "mentorship/management/commands/load_demo.py",
    }
    assert {path for path in allowed | checked if is_allowed(path)} == allowed


# --- a planted violation -----------------------------------------------------------------------------------

PLANTED = '''
"""A view that decides by hand. PermissionDenied and is_superuser in a docstring are fine."""
from django.core.exceptions import PermissionDenied
from django.core import exceptions
from mentorship.models import RoleAssignment, User


def view(request):
    # PermissionDenied in a comment is fine too.
    if not request.user.is_superuser:
        raise PermissionDenied("Недостаточно прав.")
    try:
        pass
    except (ValueError, exceptions.PermissionDenied):
        pass
    held = RoleAssignment.objects.filter(user=request.user)
    mine = request.user.role_assignments.all()
    users = User.objects.filter(role_assignments__organisation=1).prefetch_related("role_assignments")
    return held, mine, users
'''


def test_a_planted_violation_is_found_with_its_line_and_what_it_does():
    assert [str(v) for v in violations_in(PLANTED, "participants/views.py")] == [
        "participants/views.py:3: imports PermissionDenied",
        "participants/views.py:10: reads .is_superuser",
        "participants/views.py:11: raises PermissionDenied",
        "participants/views.py:14: catches PermissionDenied",
        "participants/views.py:16: queries RoleAssignment.objects",
        "participants/views.py:17: queries the role_assignments related manager",
        "participants/views.py:18: queries role assignments by the lookup 'role_assignments'",
        "participants/views.py:18: queries role assignments by the lookup role_assignments__organisation",
    ]


def test_naming_the_relation_filtering_superusers_importing_the_model_and_restricting_it_are_not_violations():
    clean = """
from django.db import models
from mentorship.models import RoleAssignment


class Grant(models.Model):
    user = models.ForeignKey("mentorship.User", models.CASCADE, related_name="role_assignments")


def administrators(users):
    return users.filter(is_superuser=True), RoleAssignment


def assignments(user):
    return RoleAssignment.objects.restrict(user, "view")
"""
    assert violations_in(clean, "mentorship/models/users.py") == []


def test_the_tree_check_fails_on_a_planted_module_and_spares_the_allowed_ones(tmp_path):
    for path in (
        "participants/views.py",
        "participants/services.py",
        "participants/tests/test_views.py",
        ".venv/lib/site.py",
    ):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(PLANTED, encoding="utf-8")
    (tmp_path / "participants/selectors.py").write_text("def people(user):\n    return user\n", encoding="utf-8")
    found = tree_violations(tmp_path)
    assert {v.path for v in found} == {"participants/views.py"}
    assert len(found) == 8
