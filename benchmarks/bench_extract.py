"""Recall and precision of the target extractor on plan texts it was never tuned on, against hand-labelled truth.

The texts are in ``benchmarks/data/plans/`` (``NAME.txt``, excerpts of published plans of other provinces, cities
and ministries), each with ``NAME.truth.yaml``: the document, where the excerpt comes from, when it was published,
and every quantified target a person found reading the text sentence by sentence (line, value, unit, year,
comparator, indicator). How the truth was labelled is in ``benchmarks/data/plans/README.md``.

The extractor is given the publication year, as ``tanfeng plan extract --published`` gives it; with
``--as-shown`` it gets only what the text itself shows (its issue date, a baseline year).

An extracted target *finds* a true one when its value stands on the same line of the text with the same value;
each true target is found at most once. An extraction that finds none is *not a target* (a fact of the past, a
threshold, a date, a second extraction of the same value). For the targets found, the year and the comparator are
compared with the truth where the truth states them.

    .venv/bin/python benchmarks/bench_extract.py [--verbose] [--json] [--as-shown] [--data DIR]

``--data`` measures another folder of texts in the same format, e.g. ``benchmarks/data/plans_unseen`` (texts labelled
before the extractor was first run on them and never used for tuning).

Prints, per text and overall: true targets, found, recall, extractions, not targets and their share, and how
many of the found targets have the right year and comparator. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tanfeng.plan.extract import DraftTarget, extract_text

DATA = Path(__file__).resolve().parent / "data" / "plans"


@dataclass
class TextResult:
    """What the extractor did on one text."""

    name: str
    truth: int
    found: int
    extracted: int
    not_targets: int
    year_right: int = 0
    year_checked: int = 0
    comparator_right: int = 0
    comparator_checked: int = 0
    missed: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.truth if self.truth else 1.0

    @property
    def not_target_share(self) -> float:
        return self.not_targets / self.extracted if self.extracted else 0.0


def _value_line(text: str, t: DraftTarget) -> int:
    """The 1-based line of the text where the target's value stands."""
    at = text.find(t.match_text, t.start, max(t.end, t.start + 1) + len(t.match_text))
    if at < 0:
        at = t.start
    return text.count("\n", 0, at) + 1


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def measure(path: Path, *, published: bool = True) -> TextResult:
    """Run the extractor on one text (given its publication year unless ``published`` is False) and compare what
    it finds with the text's truth file."""
    text = path.read_text(encoding="utf-8")
    spec = yaml.safe_load(path.with_suffix(".truth.yaml").read_text(encoding="utf-8"))
    truth: list[dict[str, Any]] = spec["targets"] or []
    as_of = int(str(spec["published"])[:4]) if published and spec.get("published") else None
    draft = extract_text(text, source_name=path.name, as_of=as_of)
    open_truth = list(range(len(truth)))
    res = TextResult(name=path.stem, truth=len(truth), found=0, extracted=len(draft.targets), not_targets=0)
    for t in draft.targets:
        line = _value_line(text, t)
        k = next((k for k in open_truth if truth[k]["line"] == line and _same(float(truth[k]["value"]), t.value)),
                 None)
        desc = f"L{line} {t.match_text} → {t.indicator} {t.year} {t.comparator.value} {t.value:g} {t.unit}"
        if k is None:
            res.not_targets += 1
            res.false.append(desc)
            continue
        open_truth.remove(k)
        res.found += 1
        want = truth[k]
        if want.get("year") is not None:
            res.year_checked += 1
            res.year_right += int(want["year"] == t.year)
        if want.get("comparator") is not None:
            res.comparator_checked += 1
            res.comparator_right += int(str(want["comparator"]) == t.comparator.value)
        if (want.get("year") is not None and want["year"] != t.year) or (
                want.get("comparator") is not None and str(want["comparator"]) != t.comparator.value):
            res.wrong.append(f"{desc} (truth: {want.get('year')} {want['comparator']})")
    for k in open_truth:
        want = truth[k]
        res.missed.append(f"L{want['line']} {want['indicator']} {want.get('year')} {want['comparator']} "
                          f"{want['value']:g} {want['unit']}")
    return res


def _pct(x: float) -> str:
    return f"{100 * x:5.1f} %"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--verbose", action="store_true", help="list the missed targets and the non-targets")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--as-shown", action="store_true",
                    help="do not give the extractor the publication year; it reads what the text shows")
    ap.add_argument("--data", type=Path, default=DATA,
                    help=f"folder of NAME.txt and NAME.truth.yaml files (default: {DATA.relative_to(DATA.parents[2])})")
    args = ap.parse_args(argv)
    texts = sorted(args.data.glob("*.txt"))
    if not texts:
        ap.error(f"no .txt texts in {args.data}")
    results = [measure(p, published=not args.as_shown) for p in texts]
    total = TextResult(name="overall", truth=sum(r.truth for r in results), found=sum(r.found for r in results),
                       extracted=sum(r.extracted for r in results),
                       not_targets=sum(r.not_targets for r in results),
                       year_right=sum(r.year_right for r in results),
                       year_checked=sum(r.year_checked for r in results),
                       comparator_right=sum(r.comparator_right for r in results),
                       comparator_checked=sum(r.comparator_checked for r in results))
    if args.json:
        print(json.dumps([{**asdict(r), "recall": r.recall, "not_target_share": r.not_target_share}
                          for r in [*results, total]], ensure_ascii=False, indent=1))
        return 0
    head = f"{'text':28} {'truth':>5} {'found':>5} {'recall':>8} {'extr.':>5} {'not t.':>6} {'share':>8}"
    print(head)
    print("-" * len(head))
    for r in [*results, total]:
        if r is total:
            print("-" * len(head))
        print(f"{r.name:28} {r.truth:5d} {r.found:5d} {_pct(r.recall):>8} {r.extracted:5d} {r.not_targets:6d} "
              f"{_pct(r.not_target_share):>8}")
    print(f"\nfound targets with the right year: {total.year_right}/{total.year_checked}; "
          f"right comparator: {total.comparator_right}/{total.comparator_checked}")
    if args.verbose:
        for r in results:
            if r.missed or r.false or r.wrong:
                print(f"\n{r.name}")
                for m in r.missed:
                    print(f"  missed      {m}")
                for f in r.false:
                    print(f"  not target  {f}")
                for w in r.wrong:
                    print(f"  wrong field {w}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
