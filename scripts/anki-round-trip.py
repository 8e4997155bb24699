#!/usr/bin/env python3
"""How much of a deck survives a trip through an Anki package.

Imports the corpus documents (tests/fixtures/corpus) into a fresh home,
exports every deck as an .apkg, imports that package into a second fresh
home, exports again, and compares the two packages note by note (by GUID):
fields as rendered HTML (white space aside) and tags. Prints the counts and
the first differences. Needs only Python and a built prep:

    cargo build && scripts/anki-round-trip.py --binary target/debug/prep
"""

import argparse
import glob
import os
import sqlite3
import subprocess
import sys
import tempfile
import zipfile


def prep(binary, home, *args):
    env = dict(os.environ, PREP_HOME=home, PREP_NOW="2026-11-24T10:00:00Z", PREP_CACHE="")
    done = subprocess.run([binary, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"prep {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def notes(package, work):
    path = os.path.join(work, os.path.basename(package) + ".db")
    with zipfile.ZipFile(package) as archive, open(path, "wb") as out:
        out.write(archive.read("collection.anki2"))
    conn = sqlite3.connect(path)
    return {guid: (fields, tags) for guid, fields, tags in conn.execute("SELECT guid, flds, tags FROM notes")}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/prep")
    parser.add_argument("--show", type=int, default=5, help="differences to print")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    with tempfile.TemporaryDirectory() as work:
        first, second = os.path.join(work, "first"), os.path.join(work, "second")
        for document in sorted(glob.glob("tests/fixtures/corpus/*.md")):
            deck = os.path.basename(document)[:-3]
            prep(binary, first, "import", document, "--deck", deck)
        out, back = os.path.join(work, "out.apkg"), os.path.join(work, "back.apkg")
        print(prep(binary, first, "export", "--format", "apkg", "-o", out), end="")
        prep(binary, second, "import", out)
        prep(binary, second, "export", "--format", "apkg", "-o", back)
        before, after = notes(out, work), notes(back, work)
        flat = lambda text: " ".join(text.split())
        differing = [
            guid for guid in before
            if guid not in after or flat(before[guid][0]) != flat(after[guid][0]) or before[guid][1] != after[guid][1]
        ]
        print(f"{len(before)} notes out, {len(after)} back; {len(before) - len(differing)} with the same rendered fields and tags")
        for guid in differing[: args.show]:
            was, now = flat(before[guid][0]), flat(after.get(guid, ("", ""))[0])
            at = next((i for i in range(min(len(was), len(now))) if was[i] != now[i]), min(len(was), len(now)))
            print(f"{guid}\n  out:  {was[max(0, at - 60): at + 60]!r}\n  back: {now[max(0, at - 60): at + 60]!r}")


if __name__ == "__main__":
    main()
