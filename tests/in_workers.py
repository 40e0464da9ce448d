"""Functions run on worker processes by the tests, in a module of their own: a worker imports the module of a
function it runs, and a test module imports much of sakip (what a worker has imported is what some tests check)."""
from __future__ import annotations

import sys


def imported(names: list[str]) -> list[str]:
    """Which of these modules the process has imported."""
    return sorted(name for name in names if name in sys.modules)
