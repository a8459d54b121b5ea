"""The English/Arabic length ratio of human translations: learned on NTREX-128 (dev), checked on
FLORES-200 devtest and TICO-19 test (held out). xling.translate.length uses the dev bounds to
flag (and re-decode in pieces) a translation whose length is far from what its source predicts.

    .venv/bin/python eval/length_ratio.py   # writes eval/results/length-ratio.json
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from eval.common import CORPORA, flores, need, ntrex  # noqa: E402
from xling.translate.length import MIN_SOURCE_CHARS, RATIO_HIGH, RATIO_LOW, ratio  # noqa: E402

OUT = Path(__file__).resolve().parent / "results" / "length-ratio.json"
QUANTILES = (0.005, 0.995)  # the bounds: 1 human translation in 100 falls outside


def ratios(ar: list[str], en: list[str]) -> list[float]:
    return [ratio(a, e) for a, e in zip(ar, en, strict=True) if len(a.strip()) >= MIN_SOURCE_CHARS]


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def outside(values: list[float]) -> float:
    return sum(not RATIO_LOW <= v <= RATIO_HIGH for v in values) / len(values)


def main() -> None:
    ar, en, _ = ntrex()
    dev = ratios(ar, en)
    tico = need(CORPORA / "tico19-test")
    held = {
        "flores200-devtest": ratios(*flores()),
        "tico19-test": ratios(
            (tico / "tico19-test.ar").read_text(encoding="utf-8").splitlines(),
            (tico / "tico19-test.en").read_text(encoding="utf-8").splitlines(),
        ),
    }
    result = {
        "measure": "len(English chars, spaces collapsed) / len(Arabic chars), sources >= "
        f"{MIN_SOURCE_CHARS} chars",
        "dev": {
            "corpus": "ntrex128 (newstest2019 en source, arb reference)",
            "pairs": len(dev),
            "median": round(statistics.median(dev), 3),
            "quantiles": {str(q): round(quantile(dev, q), 3) for q in QUANTILES},
        },
        "constants": {"RATIO_LOW": RATIO_LOW, "RATIO_HIGH": RATIO_HIGH},
        "held_out": {
            name: {
                "pairs": len(values),
                "median": round(statistics.median(values), 3),
                "share_outside_bounds": round(outside(values), 4),
            }
            for name, values in held.items()
        },
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
