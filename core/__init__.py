"""The bottom of the portal: what every app shares and nothing else.

Roles (`core.roles`), access helpers (`core.access`), the registry through which apps
contribute to shared pages (`core.registry`), plausible ranges for dates and hand-read values
(`core.bounds`) and the rule for counts shown to people (`core.figures`). It imports no app of
the portal; every app may import it (checked by import-linter, see pyproject.toml).
"""
