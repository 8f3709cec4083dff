"""Demonstration and benchmark data: the demo loaders, the region-scale generators and their commands.

``demo/`` holds what ``manage.py load_demo`` loads (the directory and personas from
``fixtures/demo.json``, then each app's demo data), ``scale/`` the steps of
``manage.py generate_scale`` (one large synthetic region for the benchmarks). Both are laid out
by noun, one module per domain app, and run in the order their command lists them.

This app sits above every domain app: it may import any of them, and none imports it
(``lint-imports`` checks it), so the domain packages hold no data generators.
"""
