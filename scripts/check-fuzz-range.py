#!/usr/bin/env python3
"""Check that prep's fuzzed intervals stay where Anki's rules allow.

With fuzz on, prep draws its own fuzz factor, so its intervals are not
Anki's; what must hold is that each one is an interval Anki could have
given the same card. This script reads the fuzz-on output of the
comparison harness (`raw/fuzz_on/` in a copy of ../shared/anki-schedule,
after its `run_all.sh`) and, for each program, each review and each button
that gives a day interval, computes from that program's own card (its phase,
the interval it was last given, each button's FSRS interval) the range
Anki's code (rslib scheduler/states/: review.rs
`passing_fsrs_review_intervals`, learning.rs and relearning.rs `answer_*`,
fuzz.rs `with_review_fuzz`, `constrained_fuzz_bounds`,
`minimum_review_fuzz_interval`) lets it take:

- review: Hard fuzzed within its FSRS interval's range with a floor of the
  previous interval (a day more if FSRS's interval grew past it, none if it
  shrank out of its range); Good the same with a floor of at least
  Hard + 1, Easy of at least Good + 1; Again (reached only without
  relearning steps) FSRS's interval rounded, unfuzzed;
- leaving (re)learning: each button's FSRS interval rounded, then fuzzed;
  Easy at least a day past Good fuzzed from FSRS's unrounded interval.

One factor fuzzes all of a review's buttons, so a floor that stacks on a
fuzzed neighbour moves with the same factor. The check is therefore done
two ways: each interval against the span its button can reach over every
factor in [0, 1), and every review's buttons together against one factor
(is there a factor that gives all of them at once?).

    scripts/check-fuzz-range.py /tmp/anki-schedule/raw/fuzz_on

Prints the counts and lists every interval outside; exits 1 if one of
prep's is outside where Anki's is inside.
"""

import json
import math
import os
import struct
import sys

MAXIMUM = 36500
RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, 3.4e38, 0.05))
PHASES = {0: "new", 1: "learning", 2: "review", 3: "relearning"}


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def rust_round(x):
    """f32::round: halves away from zero (Python's round goes to even)."""
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)


def delta(interval):
    if interval < 2.5:
        return 0.0
    d = 1.0
    for start, end, factor in RANGES:
        d = f32(d + f32(factor * max(min(interval, end) - start, 0.0)))
    return d


def constrained_fuzz_bounds(interval, minimum, maximum=MAXIMUM):
    minimum = min(minimum, maximum)
    interval = f32(min(max(interval, minimum), maximum))
    d = delta(interval)
    lower = min(max(rust_round(f32(interval - d)), minimum), maximum)
    upper = min(max(rust_round(f32(interval + d)), minimum), maximum)
    if upper == lower and 2 < upper < maximum:
        upper = lower + 1
    return lower, upper


def with_review_fuzz(factor, interval, minimum, maximum=MAXIMUM):
    minimum = max(1, min(minimum, maximum))
    lower, upper = constrained_fuzz_bounds(interval, minimum, maximum)
    return math.floor(f32(lower + f32(factor * (1 + upper - lower))))


def minimum_review_fuzz_interval(interval, previous, maximum=MAXIMUM):
    rounded = rust_round(interval)
    _, upper = constrained_fuzz_bounds(interval, 1, maximum)
    if rounded > previous:
        return previous + 1
    if previous <= upper:
        return previous
    return 0


def buttons(factor, phase, previous, fsrs):
    """The day interval of each button Anki gives with this factor, where
    `fsrs` holds each button's FSRS interval, and the fuzz spans met on the
    way (an interval steps where the factor crosses k / span)."""
    out, spans = {}, set()

    def fuzzed(interval, minimum):
        lower, upper = constrained_fuzz_bounds(interval, max(1, minimum))
        spans.add(1 + upper - lower)
        return with_review_fuzz(factor, interval, minimum)

    if phase == "review":
        if "again" in fsrs:
            out["again"] = max(1, rust_round(fsrs["again"]))
        floor = lambda name: minimum_review_fuzz_interval(fsrs[name], previous)
        hard = fuzzed(fsrs["hard"], max(floor("hard"), 1))
        good = fuzzed(fsrs["good"], max(floor("good"), hard + 1))
        easy = fuzzed(fsrs["easy"], max(floor("easy"), good + 1))
        out.update(hard=hard, good=good, easy=easy)
    else:
        for name in ("again", "hard", "good"):
            if name in fsrs:
                out[name] = fuzzed(max(1.0, rust_round(fsrs[name])), 1)
        good = fuzzed(fsrs["good"], 1)
        out["easy"] = fuzzed(max(1.0, rust_round(fsrs["easy"])), good + 1)
    return out, spans


def every_outcome(phase, previous, fsrs):
    """The buttons for every factor in [0, 1): one evaluation inside each
    stretch of factors where no interval steps."""
    cuts = {0.0, 1.0}
    while True:
        points = sorted(cuts)
        outcomes, found = [], set()
        for a, b in zip(points, points[1:]):
            out, spans = buttons((a + b) / 2, phase, previous, fsrs)
            outcomes.append(out)
            found |= {k / span for span in spans for k in range(1, span)}
        if found <= cuts:
            return outcomes
        cuts |= found


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


def cards(folder, who):
    """(seq, step) -> (phase before, previous interval, {option: row})."""
    steps = load(os.path.join(folder, f"{who}_steps.jsonl"))
    options = load(os.path.join(folder, f"{who}_options.jsonl"))
    before = {}
    last = {}
    for row in steps:
        key = (row["seq"], row["step"])
        if who == "anki":
            phase, previous = PHASES[row["before"]["type"]], row["before"]["ivl"]
        else:
            phase = row["raw"]["state_before"]
            previous = last.get(row["seq"], 0)
            last[row["seq"]] = row["raw"]["interval_days"]
        before[key] = (phase, previous)
    out = {}
    for row in options:
        key = (row["seq"], row["step"])
        out.setdefault(key, (*before[key], {}))[2][row["option"]] = row
    return out


def check(folder, who):
    """{(seq, step, option): (interval, lowest, highest, inside, phase,
    previous interval)} for every day interval, and the reviews whose day
    intervals no single factor gives together. A button that is a step of
    minutes (Hard or Good on a (re)learning step, Again with relearning
    steps) is not checked, but Good's FSRS interval still floors Easy."""
    result, unexplained = {}, []
    for (seq, step), (phase, previous, rows) in cards(folder, who).items():
        days = {name: row["interval"] for name, row in rows.items() if row["unit"] == "day"}
        if not days:
            continue
        # With desired retention 0.9, FSRS's interval is the stability.
        fsrs = {name: row["stability"] for name, row in rows.items()}
        if rows["again"]["unit"] != "day":
            fsrs.pop("again")
        outcomes = every_outcome(phase, previous, fsrs)
        for name, interval in days.items():
            reach = [o[name] for o in outcomes]
            lo, hi = min(reach), max(reach)
            result[(seq, step, name)] = (interval, lo, hi, lo <= interval <= hi, phase, previous)
        if not any(all(o.get(n) == d for n, d in days.items()) for o in outcomes):
            unexplained.append((seq, step, phase, previous, days))
    return result, unexplained


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "raw/fuzz_on"
    anki, anki_unexplained = check(folder, "anki")
    prep, prep_unexplained = check(folder, "prep")
    for label, result, unexplained in (
        ("Anki", anki, anki_unexplained),
        ("prep", prep, prep_unexplained),
    ):
        inside = sum(r[3] for r in result.values())
        print(f"{label}: {inside}/{len(result)} day intervals inside the range Anki's rules give "
              f"its card; {len(unexplained)} reviews whose buttons no single factor gives")
        for key, (interval, lo, hi, ok, phase, previous) in sorted(result.items()):
            if not ok:
                print(f"  outside: {key[0]} step {key[1]} {key[2]} [{phase}, previous {previous}d]: "
                      f"{interval}d, range {lo}..{hi}")
        for seq, step, phase, previous, days in unexplained:
            print(f"  no factor: {seq} step {step} [{phase}, previous {previous}d]: {days}")
    bad = [k for k, a in anki.items() if a[3] and k in prep and not prep[k][3]]
    print(f"prep outside where Anki is inside: {len(bad)}")
    for seq, step, name in bad:
        interval, lo, hi, _, phase, previous = prep[(seq, step, name)]
        print(f"  {seq} step {step} {name} [{phase}, previous {previous}d]: {interval}d, range {lo}..{hi}")
    sys.exit(1 if bad or prep_unexplained else 0)


if __name__ == "__main__":
    main()
