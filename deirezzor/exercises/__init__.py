"""Check definitions, one module per notebook: ``nb00.py`` for 00-start-here,
``nb02.py`` for 02-raid-timeline, and so on.

Each module registers its exercises with ``@exercise("N.k", checks=...)`` from
:mod:`deirezzor.checks` (read its docstring for the convention).  Modules are
found by name: ``check("2.1", ...)`` imports ``nb02``; nothing needs listing here.
"""
