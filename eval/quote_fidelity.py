"""Fit and check the calibrated quote fidelity (xling/audit/fidelity.py) and its thresholds.

Examples: every English quotation paired with an Arabic quotation in the sentences the
alignment links to it (the extractors and the alignment of the untouched document, not the
audit's verdict: audit_corruption.all_items), when each is the only quotation of its side of
the links (an English quote the Arabic split in two would pair with a part), turned into
  kept       the Arabic quotation as the translator wrote it            label 1
  cut        its first third / half / two thirds of words (6+ words)    label = share kept
  altered    another document's Arabic quotation in its place           label 0
  unrelated  another Arabic quotation of the same document               label 0
Features are those of xling.audit.fidelity.features, with the e5-small encoder, no MT.

Development split: NTREX-128; the logistic model (soft labels as weights) and three
thresholds are chosen there:
  FIDELITY_MIN        flag "content differs" below it. With --controls (the per-document
                      rows of eval/audit_corruption.py): the largest threshold (step 0.01)
                      at which at most 10% of the untouched dev documents carry a "content
                      differs" flag; recall of cut and altered quotations only grows with the
                      threshold, so this is the best recall within that false-flag budget.
                      The rule was set after the first choice (best balanced accuracy of
                      (cut to a third, altered) against kept: 0.53) flagged 40.6% of the
                      untouched dev documents. Without --controls: the balanced accuracy.
                      The dev curve is in the JSON (fidelity_min_curve);
  MATCH_MIN           an Arabic quotation in the aligned sentences is this English one: 98%
                      of the dev kept pairs score above it (a failed match is flagged);
  DOCUMENT_MATCH_MIN  ... anywhere else in the document: at most 1% of dev unrelated pairs
                      above it.
Held out: TICO-19 windows, UN documents, FLORES-200 documents; the figures there are
reported, never used.

Since the cut check (issue 12, later), FIDELITY_MIN is chosen together with it, under the same
10% budget, by eval/quote_cut.py (0.29); the fidelity_min here is the earlier choice without it.

    .venv/bin/python eval/quote_fidelity.py --reuse --controls eval/out/audit_corruption.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from audit_corruption import CachedEmbedder, _sentences, all_items, load_docs  # noqa: E402
from common import OUT, ROOT, machine  # noqa: E402

from xling.align.sentences import default_embedder  # noqa: E402
from xling.audit.fidelity import FEATURES, features  # noqa: E402
from xling.audit.quotes import Similarity, _numbers_agree, share_ratio  # noqa: E402
from xling.audit.run import audit_document  # noqa: E402
from xling.text.quotes import extract_quotes  # noqa: E402

CUTS = (1 / 3, 1 / 2, 2 / 3)


def _row(doc, sim: Similarity, sentences: list[str], pair: dict, text: str, kind: str, label):
    en = pair["en"]["text"]
    en_text = "\n".join(doc.en)
    en_sents = " ".join(en_text[slice(*doc.en_offsets[i])] for i in pair["en"]["sentences"])
    ar_sents = " ".join(sentences[j] for j in pair["ar"]["sentences"])
    # the Arabic sentences as they read with this text in place of the quotation
    ar_sents_now = len(ar_sents) - len(pair["ar"]["text"]) + len(text)
    s = sim(en, text)
    hold = set(pair["ar"]["sentences"])
    others = [sim(en, t) for j, t in enumerate(sentences) if j not in hold]
    others = [v for v in others if v is not None]
    contrast = s - max(others) if others else None
    doc_ratio = sum(map(len, doc.ar)) / max(1, sum(map(len, doc.en)))
    f = features(
        s,
        contrast,
        len(text) / max(1, len(en)),
        _numbers_agree(en, text),
        doc_ratio,
        share_ratio(en, en_sents, text, "x" * max(1, ar_sents_now)),
    )
    return {"doc": doc.id, "split": doc.split, "kind": kind, "label": label} | f


def _quotations(text: str, lang: str):
    return [q for q in extract_quotes(text, lang) if q.is_quotation]


def examples(docs, sim: Similarity, seed: int) -> list[dict]:
    rng = random.Random(seed)
    pool = [
        (d.id, q.text)
        for d in docs
        for q in extract_quotes("\n".join(d.ar), "ar")
        if q.is_quotation and 4 <= q.words <= 40
    ]
    out: list[dict] = []
    for doc in docs:
        en_text, ar_text = "\n".join(doc.en), "\n".join(doc.ar)
        control = audit_document(doc.id, en_text, ar_text, embedder=sim.embedder).to_json()
        al = control["alignment"]
        sentences = [ar_text[a:b] for a, b in al["ar_offsets"]]
        doc.en_offsets = al["en_offsets"]
        _, pairs = all_items(doc, control)
        ar_quotes = [q["ar"]["text"] for q in pairs]
        en_to_ar = {i: link["ar"] for link in al["links"] for i in link["en"]}
        en_sents = [set(_sentences(al["en_offsets"], *q.span)) for q in _quotations(en_text, "en")]
        ar_sents = [set(_sentences(al["ar_offsets"], *q.span)) for q in _quotations(ar_text, "ar")]
        for pair in pairs:
            text = pair["ar"]["text"]
            # A clean pair: the only quotation on each side of its alignment links (an English
            # quote split into two Arabic ones pairs with a part: not a faithful "kept").
            mine = set(pair["en"]["sentences"])
            linked = {j for i in mine for j in en_to_ar.get(i, [])}
            clean = sum(bool(s & mine) for s in en_sents) == 1 and (
                sum(bool(s & linked) for s in ar_sents) == 1
            )
            if not clean:
                continue
            out.append(_row(doc, sim, sentences, pair, text, "kept", 1.0))
            words = text.split()
            if len(words) >= 6:
                for frac in CUTS:
                    n = max(2, round(len(words) * frac))
                    cut = " ".join(words[:n])
                    out.append(_row(doc, sim, sentences, pair, cut, "cut", n / len(words)))
            other = [t for d, t in pool if d != doc.id]
            if other:
                out.append(_row(doc, sim, sentences, pair, rng.choice(other), "altered", 0.0))
            same = [t for t in ar_quotes if t != text]
            if same:
                out.append(_row(doc, sim, sentences, pair, rng.choice(same), "unrelated", 0.0))
    return out


def fit(rows: list[dict]) -> tuple[dict, float]:
    from sklearn.linear_model import LogisticRegression

    x = np.array([[r[f] for f in FEATURES] for r in rows])
    y = np.array([r["label"] for r in rows])
    # soft labels: each example once as 1 with weight y, once as 0 with weight 1 - y
    xx = np.vstack([x, x])
    yy = np.concatenate([np.ones(len(y)), np.zeros(len(y))])
    ww = np.concatenate([y, 1 - y])
    keep = ww > 0
    model = LogisticRegression(C=10.0, max_iter=2000).fit(
        xx[keep], yy[keep], sample_weight=ww[keep]
    )
    weights = {f: round(float(w), 4) for f, w in zip(FEATURES, model.coef_[0], strict=True)}
    return weights, round(float(model.intercept_[0]), 4)


def _score(r: dict, weights: dict, bias: float) -> float:
    z = bias + sum(weights[f] * r[f] for f in FEATURES)
    return 1.0 / (1.0 + np.exp(-z))


def _f1(pos: list[float], neg: list[float], t: float) -> dict:
    """Flag below t: positives should be flagged, negatives not."""
    tp = sum(s < t for s in pos)
    fp = sum(s < t for s in neg)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / len(pos) if pos else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _groups(rows: list[dict], scores: list[float]) -> dict[str, list[float]]:
    g: dict[str, list[float]] = {"kept": [], "cut_third": [], "cut_half": [], "cut_two_thirds": []}
    g |= {"altered": [], "unrelated": []}
    for r, s in zip(rows, scores, strict=True):
        if r["kind"] == "cut":
            key = (
                "cut_third"
                if r["label"] < 0.42
                else "cut_half"
                if r["label"] < 0.6
                else "cut_two_thirds"
            )
        else:
            key = r["kind"]
        g[key].append(s)
    return g


FLAG_BUDGET = 0.10  # at most this share of untouched dev documents flagged "content differs"
_CONTENT = re.compile(r"content differs \([^:]*: ([0-9.]+) of the content kept < ([0-9.]+)\)")


def _control_min(row: dict) -> tuple[float, float]:
    """The lowest fidelity of a kept quotation of an untouched document, and up to which
    threshold that is known: exact from `content_scores`; rows of an older run hold only the
    scores printed in "content differs" reasons (2 decimals, below the threshold of then)."""
    if "content_scores" in row:
        return min(row["content_scores"], default=2.0), 1.0
    found = [
        (float(m.group(1)), float(m.group(2)))
        for _verdict, note in row["flags"]
        for m in _CONTENT.finditer(note or "")
    ]
    cap = min((c for _, c in found), default=1.0) if found else 1.0
    return min((v for v, _ in found), default=2.0), cap


def _detected_at(result: dict, t: float) -> bool:
    """A cut/altered quotation is found at threshold t: flagged missing/paraphrased (no
    threshold involved) or kept with a fidelity under t (audit_corruption._type_flags)."""
    for tg in result["target"]:
        if tg["verdict"] in ("missing", "paraphrased") and tg["flagged"]:
            return True
        score = (tg.get("fidelity") or {}).get("score")
        flaggable = tg.get("flaggable", True)  # a quotation, or numbers that differ
        if tg["verdict"] == "kept" and score is not None and score < t and flaggable:
            return True
    return False


def dev_curve(path: Path, groups: dict[str, list[float]]) -> dict:
    """FIDELITY_MIN against the dev documents of the corruption suite: the share of untouched
    documents with a "content differs" flag, the recall of cut / altered quotations in
    corrupted documents (mode all), and the quotation-level figures of the dev examples."""
    data = json.loads(path.read_text(encoding="utf-8"))
    controls = [_control_min(r) for r in data["controls"].values() if r["split"] == "dev"]
    valid_to = min(c for _, c in controls)
    results = [
        r
        for r in data["results"]
        if r["split"] == "dev"
        and r["mode"] == "all"
        and r["type"] in ("quote_cut", "quote_altered")
    ]
    curve = []
    for t in [round(x, 2) for x in np.arange(0.05, valid_to + 1e-9, 0.01)]:
        row = {"fidelity_min": t}
        row["dev_controls_flagged_content"] = round(float(np.mean([m < t for m, _ in controls])), 4)
        for kind in ("quote_cut", "quote_altered"):
            hits = [_detected_at(r, t) for r in results if r["type"] == kind]
            row[f"dev_{kind}_recall"] = round(float(np.mean(hits)), 4) if hits else None
        row["quote_level_cut_third_recall"] = round(
            float(np.mean([v < t for v in groups["cut_third"]])), 4
        )
        row["quote_level_altered_recall"] = round(
            float(np.mean([v < t for v in groups["altered"]])), 4
        )
        row["quote_level_kept_flagged"] = round(float(np.mean([v < t for v in groups["kept"]])), 4)
        curve.append(row)
    ok = [r for r in curve if r["dev_controls_flagged_content"] <= FLAG_BUDGET]
    return {
        "source": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
        "dev_controls": len(controls),
        "dev_corrupted_documents": len(results),
        "exact_scores": all("content_scores" in r for r in data["controls"].values()),
        "rule": f"largest fidelity_min with <= {FLAG_BUDGET:.0%} of untouched dev documents "
        'flagged "content differs"',
        "chosen": max(r["fidelity_min"] for r in ok) if ok else None,
        "curve": curve,
    }


def _describe(g: dict[str, list[float]]) -> dict:
    return {
        k: {
            "n": len(v),
            "mean": round(float(np.mean(v)), 4) if v else None,
            "p05": round(float(np.percentile(v, 5)), 4) if v else None,
            "p95": round(float(np.percentile(v, 95)), 4) if v else None,
        }
        for k, v in g.items()
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tico-windows", type=int, default=None)
    ap.add_argument("--unpc", type=int, default=60)
    ap.add_argument("--flores", type=int, default=None)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument(
        "--reuse", action="store_true", help="reuse the examples of the last run (eval/out)"
    )
    ap.add_argument("--out", type=Path, default=ROOT / "eval" / "results" / "quote_fidelity.json")
    ap.add_argument(
        "--controls",
        type=Path,
        default=None,
        help="per-document rows of eval/audit_corruption.py (its --out): choose FIDELITY_MIN "
        "on their dev documents",
    )
    args = ap.parse_args()
    embedder = default_embedder()
    if embedder is None:
        sys.exit("the e5-small encoder is not built: xling models build e5-small")
    sim = Similarity(CachedEmbedder(embedder))
    # Only documents with an English quotation give examples (the others need no audit).
    docs = [
        d
        for d in load_docs(None, args.tico_windows, args.unpc, args.flores)
        if any(q.is_quotation for q in extract_quotes("\n".join(d.en), "en"))
    ]
    dev_docs = [d for d in docs if d.split == "dev"]
    held_docs = [d for d in docs if d.split == "held_out"]
    cache = OUT / "quote_fidelity_rows.json"
    if args.reuse and cache.exists():  # refitting: the examples do not change
        rows = json.loads(cache.read_text(encoding="utf-8"))
        dev, held = rows["dev"], rows["held_out"]
    else:
        dev = examples(dev_docs, sim, args.seed)
        held = examples(held_docs, sim, args.seed)
        OUT.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps({"dev": dev, "held_out": held}), encoding="utf-8")
    weights, bias = fit(dev)
    result: dict = {
        "machine": machine(),
        "model": {"weights": weights, "bias": bias, "features": list(FEATURES)},
        "examples": {"dev": len(dev), "held_out": len(held)},
    }
    thresholds = {}
    for split, rows in (("dev", dev), ("held_out", held)):
        scores = [_score(r, weights, bias) for r in rows]
        g = _groups(rows, scores)
        if split == "dev":
            pos = g["cut_third"] + g["altered"]
            grid = [round(t, 3) for t in np.arange(0.05, 0.96, 0.005)]
            # balanced: the dev pool holds more corrupted than kept quotations, and a kept
            # quotation flagged costs a false flag on an untouched document
            balanced = max(
                grid,
                key=lambda t: np.mean([v < t for v in pos]) + np.mean([v >= t for v in g["kept"]]),
            )
            thresholds["fidelity_min_balanced_accuracy"] = balanced
            thresholds["fidelity_min"] = balanced
            if args.controls:
                result["fidelity_min_curve"] = dev_curve(args.controls, g)
                thresholds["fidelity_min"] = result["fidelity_min_curve"]["chosen"]
            # a quotation that fails the match becomes `paraphrased` (flagged): keep 98% of
            # the dev kept pairs above it
            thresholds["match_min"] = round(float(np.percentile(g["kept"], 2)), 3)
            thresholds["document_match_min"] = round(float(np.percentile(g["unrelated"], 99)), 3)
        t = thresholds["fidelity_min"]
        result[split] = {
            "scores": _describe(g),
            "flag_cut_third": _f1(g["cut_third"], g["kept"], t),
            "flag_altered": _f1(g["altered"], g["kept"], t),
            "flag_unrelated": _f1(g["unrelated"], g["kept"], t),
            "kept_below_fidelity_min": round(float(np.mean([s < t for s in g["kept"]])), 4),
            "kept_below_match_min": round(
                float(np.mean([s < thresholds["match_min"] for s in g["kept"]])), 4
            ),
            "unrelated_above_match_min": round(
                float(np.mean([s >= thresholds["match_min"] for s in g["unrelated"]])), 4
            ),
            "unrelated_above_document_match_min": round(
                float(np.mean([s >= thresholds["document_match_min"] for s in g["unrelated"]])), 4
            ),
            "mean_abs_error_to_share_kept": round(
                float(np.mean([abs(s - r["label"]) for r, s in zip(rows, scores, strict=True)])), 4
            ),
        }
    result["thresholds"] = thresholds
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(args.out)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
