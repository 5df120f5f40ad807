"""Shim, because this folder shares its name with the package inside it.

Run from the repository root (`nameko run`, `python -m eventlog.migrate gateway`, pytest
with `pythonpath = .`), `import gateway` finds this folder before the editable install's
finder and would make it a namespace package without `__file__`. This points it at the
real package, gateway/gateway, so both ways of importing give the same modules.
"""

from pathlib import Path

__path__ = [str(Path(__file__).parent / "gateway")]
__file__ = str(Path(__file__).parent / "gateway" / "__init__.py")
