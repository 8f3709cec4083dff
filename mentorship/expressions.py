"""Query expressions the ORM does not offer."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Func, Subquery


class InSubquery(Func):
    """``lhs IN (subquery)``, written for PostgreSQL as ``lhs = ANY(ARRAY(subquery))``.

    The organisations reachable from a user's role assignments are an OR over
    small subqueries whose size PostgreSQL cannot estimate: as a semi-join it
    guesses most of the directory and scans every row of a 350 000-row table
    for one school's page. As ``= ANY(ARRAY(…))`` the subquery runs once (an
    InitPlan) and the anchor's index answers the comparison.
    """

    arity = 2
    output_field = models.BooleanField()

    def __init__(self, lhs: Any, subquery: models.QuerySet) -> None:
        super().__init__(lhs, Subquery(subquery))

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple]:
        return self._compiled(compiler, "{lhs} IN {rhs}")

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple]:
        return self._compiled(compiler, "{lhs} = ANY(ARRAY{rhs})")

    def _compiled(self, compiler: Any, template: str) -> tuple[str, tuple]:
        lhs, rhs = self.get_source_expressions()
        lhs_sql, lhs_params = compiler.compile(lhs)
        rhs_sql, rhs_params = compiler.compile(rhs)
        return template.format(lhs=lhs_sql, rhs=rhs_sql), (*lhs_params, *rhs_params)
