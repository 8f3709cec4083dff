"""The personas' world of ``mentorship/tests/factories.py``, built once per module, copied per test."""

from mentorship.tests.conftest import _module_world, client_as, world  # noqa: F401  (fixtures)
