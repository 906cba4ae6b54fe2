"""clausesmith: cross-licence term sheets and side letters from a deal specification.

The public API, for CI tools that generate deals and for the CLI itself::

    from pathlib import Path
    import clausesmith

    inputs = clausesmith.Inputs(clausesmith.Sources.resolve())  # the shipped library
    deal = clausesmith.load_deal(Path("deal.yaml"), inputs)     # or InvalidInput
    plan = clausesmith.plan_deal(Path("deal.yaml"), inputs)     # findings, chosen clauses
    rendered = clausesmith.render_plan(plan, inputs)            # or Blocked
    rendered.files                                              # {file name: bytes}
    clausesmith.write_deal(rendered)                            # atomic, or ProtectedOutput
    outcome = clausesmith.process(Path("deal.yaml"), clausesmith.Options("render"), inputs)

Every error a user should see is a `UserMessageError` with `exit_code`, `status` and
`format_message()`. Names are imported on first use, so `import clausesmith` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Sources": "clausesmith.resources",
    "Inputs": "clausesmith.pipeline",
    "Rendered": "clausesmith.pipeline",
    "load_deal": "clausesmith.pipeline",
    "plan_deal": "clausesmith.pipeline",
    "render_deal": "clausesmith.pipeline",
    "render_plan": "clausesmith.pipeline",
    "stale_files": "clausesmith.pipeline",
    "write_deal": "clausesmith.pipeline",
    "DealOutcome": "clausesmith.batch.outcome",
    "Options": "clausesmith.batch.outcome",
    "process": "clausesmith.batch.outcome",
    "UserMessageError": "clausesmith.errors",
    "InvalidInput": "clausesmith.errors",
    "Blocked": "clausesmith.errors",
    "ProtectedOutput": "clausesmith.errors",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'clausesmith' has no attribute {name!r}")
