"""Print how well the matching core ranks the evaluation set: ``python -m tests.why_eval``."""

from __future__ import annotations

import sys

from tests.why_eval.evaluate import evaluate, format_report

if __name__ == "__main__":
    result = evaluate()
    print(format_report(result, verbose="-v" in sys.argv))
