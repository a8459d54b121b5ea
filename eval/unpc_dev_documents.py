"""Number `changed` flags of `xling audit` on whole UN documents of the dev half.

eval/number_readings.py audits UN line pairs one at a time; the corruption suite audits whole
documents (alignment, neighbouring links), and its fresh UN documents lie in the *test* half.
This audits the UN documents of the *dev* half that the suite does not load (those after the
first 40, as the suite orders them; at least 6 line pairs each) as whole documents with the
e5-small encoder, and lists every flagged `changed` item for reading by hand. No test-half
document is read. Run it on another commit's code to compare (the script imports `xling`):
  git archive main xling | tar -x -C /tmp/base
  PYTHONPATH=/tmp/base python eval/unpc_dev_documents.py --label before
  PYTHONPATH=$PWD python eval/unpc_dev_documents.py --label after
With --embed-cache the sentence vectors of a corruption-suite cache are reused (read only).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from audit_corruption import UNPC_MIN, CachedEmbedder, _unpc, _unpc_test_half
from common import machine

from xling.align.sentences import default_embedder
from xling.audit.run import audit_document


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True, help="name of the run (before, after)")
    parser.add_argument("--embed-cache", type=Path, default=None, help="vectors to reuse")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    embedder = default_embedder()
    if embedder is None:
        sys.exit("the e5-small encoder is not built: xling models build e5-small")
    embedder = CachedEmbedder(embedder, args.embed_cache)
    embedder.path = None  # read the cache, never write it
    test = _unpc_test_half()
    docs = [d for d in _unpc(None)[40:] if d.id.removeprefix("unpc:") not in test]
    flagged = []
    for d in docs:
        report = audit_document(d.id, "\n".join(d.en), "\n".join(d.ar), embedder=embedder)
        for n in report.to_json()["numbers"]:
            if n["flagged"] and n["verdict"] == "changed":
                flagged.append({"doc": d.id, "note": n["evidence"]["note"]})
    with_flag = len({f["doc"] for f in flagged})
    result = {
        "label": args.label,
        "corpus": "UNPC v1.0 dev, dev-half UN documents after the suite's first 40 "
        f"(>= {UNPC_MIN} lines)",
        "documents": len(docs),
        "documents_with_changed": with_flag,
        "share": round(with_flag / len(docs), 4) if docs else None,
        "changed_items": flagged,
        "machine": machine(),
    }
    out = args.out or Path(__file__).parent / "results" / f"unpc_dev_documents-{args.label}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "changed_items"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
