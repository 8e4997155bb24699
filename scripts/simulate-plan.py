#!/usr/bin/env python3
"""Follow an interview plan on a deck of any size, as a learner would.

Imports NOTES into a fresh home, sets a plan DAYS ahead, then runs one
`prep quiz` a day through its line protocol with PREP_NOW set, grading in a
fixed seeded pattern (7% again, 8% hard, 80% good, 5% easy), and prints what
`prep plan` promised on day 0 next to the recall reached at the start of the
interview day; with --no-plan, the same learner without a plan (the plan is
set on the day only, to read the recall). The tests in tests/cli/plan.rs do
the same on the bundled decks; this script is for larger decks:

    cargo build --release
    scripts/simulate-plan.py tests/fixtures/corpus/toc-list-headings-angular.md 14
"""

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile

START = datetime.date(2026, 12, 1)


def at(day, time="09:00:00"):
    return f"{START + datetime.timedelta(days=day)}T{time}Z"


def prep(binary, home, now, *args, stdin=None):
    env = dict(os.environ, PREP_HOME=home, PREP_NOW=now, PREP_CACHE="")
    env.pop("NO_COLOR", None)
    done = subprocess.run(
        [binary, *args], input=stdin, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.exit(f"prep {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def answers(rng, count):
    lines = []
    for _ in range(count):
        roll = rng.randrange(100)
        grade = "again" if roll < 7 else "hard" if roll < 15 else "good" if roll < 95 else "easy"
        lines += ["", grade]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes")
    parser.add_argument("days", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-new", type=int)
    parser.add_argument("--no-plan", action="store_true")
    parser.add_argument("--binary", default="target/release/prep")
    args = parser.parse_args()

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as home:
        prep(args.binary, home, at(0), "import", args.notes, "--deck", "sim")
        plan_args = ["plan", "--deck", "sim", "--on", str(START + datetime.timedelta(days=args.days))]
        if args.max_new:
            plan_args += ["--max-new", str(args.max_new)]
        if not args.no_plan:
            print(prep(args.binary, home, at(0), *plan_args), end="")
        reviews = 0
        for day in range(args.days):
            out = prep(args.binary, home, at(day), "quiz", "--deck", "sim", stdin=answers(rng, 2000))
            reviews += out.count("\nQ: ") + out.startswith("Q: ")
        if args.no_plan:
            prep(args.binary, home, at(args.days, "04:00:00"), *plan_args)
        plan = json.loads(prep(args.binary, home, at(args.days, "04:00:00"), "plan", "--json"))[0]
        history = prep(args.binary, home, at(args.days), "history", "--json").splitlines()
        days_seen = {}
        for line in history:
            review = json.loads(line)
            reviewed = datetime.datetime.fromisoformat(review["reviewed_at"].replace("Z", "+00:00"))
            day = (reviewed - datetime.timedelta(hours=4)).date()
            days_seen.setdefault(review["card"], set()).add(day)
        spread = {}
        for days in days_seen.values():
            spread[len(days)] = spread.get(len(days), 0) + 1
        print(
            f"{'no plan' if args.no_plan else 'plan followed'}: {plan['cards']} cards, "
            f"{plan['unseen']} never seen, {reviews} cards shown in {args.days} sessions, "
            f"recall at the start of the interview day {plan['predicted_recall']:.3f}, "
            f"cards by days reviewed on {dict(sorted(spread.items()))}"
        )


if __name__ == "__main__":
    main()
