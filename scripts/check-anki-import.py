#!/usr/bin/env python3
"""Check that real Anki imports prep's packages.

Uses the `anki` package from PyPI (the library inside Anki's desktop app).
Exports the two bundled decks with `prep export`, with and without
progress, after a few days of reviews made with PREP_NOW, and imports them
into fresh Anki collections: counts notes and cards, checks the fields and
tags of two notes against the decks, the review log against
`prep history`, and that importing a second export of the same decks into
the same collection adds no note; then reviews a card in Anki, exports the
collection as Anki does, and checks that `prep import --with-progress` adds
that review to prep's history. Then the same for reversed and cloze cards:
prep's reversed card is two Anki cards and its cloze card one per number
(Anki's own cloze rendering hides each), a review made in Anki on the
reversed card comes back to `ID:r`, and notes made in Anki on its stock
"Basic (and reversed card)" and "Cloze" note types come into prep as a
`reverse: true` card and a cloze card. Then media both ways: a deck with an
image made in Anki and exported with Anki's default (newer) package format
is imported by prep with its image file, and prep's export of a deck with
an image is imported by Anki with the file in Anki's media folder. Exits
non-zero on the first mismatch.

    python3 -m venv /tmp/ankienv && /tmp/ankienv/bin/pip install anki
    cargo build --release
    /tmp/ankienv/bin/python scripts/check-anki-import.py [--binary target/release/prep]

Not part of `cargo test`: the test run needs only the Rust toolchain.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

from anki.collection import Collection
from anki.import_export_pb2 import ExportAnkiPackageOptions, ImportAnkiPackageOptions, ImportAnkiPackageRequest


def prep(binary, home, now, *args, stdin=None):
    env = dict(os.environ, PREP_HOME=home, PREP_NOW=now, PREP_CACHE="")
    done = subprocess.run([binary, *args], input=stdin, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"prep {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def check(condition, message):
    print(("ok    " if condition else "FAIL  ") + message)
    if not condition:
        sys.exit(1)


def import_package(col, path, with_scheduling):
    request = ImportAnkiPackageRequest(
        package_path=path,
        options=ImportAnkiPackageOptions(with_scheduling=with_scheduling, with_deck_configs=False),
    )
    return col.import_anki_package(request).log


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="target/release/prep")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)

    with tempfile.TemporaryDirectory() as work:
        home = os.path.join(work, "home")
        # Three days of reviews on aws, ending today (Anki counts days from
        # the real clock, so the check runs in the present): new cards,
        # then their first reviews.
        today = datetime.datetime.now(datetime.timezone.utc).date()
        for days_ago in (5, 3, 0):
            day = today - datetime.timedelta(days=days_ago)
            prep(binary, home, f"{day}T05:00:00Z", "quiz", "--deck", "aws", stdin="\n3\n\n1\n\n4\n" * 40)
        now = f"{today}T06:00:00Z"
        plain = os.path.join(work, "decks.apkg")
        again = os.path.join(work, "decks-again.apkg")
        progress = os.path.join(work, "progress.apkg")
        print(prep(binary, home, now, "export", "--format", "apkg", "-o", plain), end="")
        print(prep(binary, home, now, "export", "--format", "apkg", "-o", again), end="")
        print(prep(binary, home, now, "export", "--format", "apkg", "--with-progress", "-o", progress), end="")
        cards = json.loads(prep(binary, home, now, "cards", "--json"))
        history = [json.loads(line) for line in prep(binary, home, now, "history", "--json").splitlines()]
        decks = {}
        for name in ("aws", "devops"):
            listed = prep(binary, home, now, "export", "--format", "markdown", "--deck", name)
            decks[name] = listed
        print(f"prep: {len(cards)} cards, {len(history)} reviews")

        # A fresh collection, the package without progress.
        col = Collection(os.path.join(work, "plain.anki2"))
        log = import_package(col, plain, with_scheduling=False)
        check(len(log.new) == len(cards), f"import: {len(log.new)} new notes (of {len(cards)} cards), "
              f"{len(log.updated)} updated, {len(log.duplicate)} duplicate, {len(log.conflicting)} conflicting, "
              f"{len(log.missing_notetype)} missing note type, {len(log.empty_first_field)} empty first field")
        check(col.note_count() == len(cards), f"notes in Anki: {col.note_count()}")
        check(col.card_count() == len(cards), f"cards in Anki: {col.card_count()}")
        model = col.models.by_name("prep")
        check(model is not None and [f["name"] for f in model["flds"]] == ["Front", "Back"],
              "note type 'prep' with fields Front, Back")
        names = sorted(deck.name for deck in col.decks.all_names_and_ids())
        check({"aws", "devops"} <= set(names), f"decks: {names}")
        for card in (cards[0], cards[-1]):
            note = next(col.get_note(nid) for nid in col.find_notes("") if col.get_note(nid).guid == f"prep:{card['id']}")
            check(card["question"].split("\n")[0][:30] in note["Front"].replace("&amp;", "&").replace("&quot;", '"').replace("&#39;", "'"),
                  f"note {note.guid}: Front {note['Front'][:60]!r}")
            check(note["Back"].startswith("<") and len(note["Back"]) > 10, f"note {note.guid}: Back is HTML ({len(note['Back'])} characters): {note['Back'][:60]!r}")
            check(card["deck"] in note.tags, f"note {note.guid}: tags {note.tags}")
        check(col.db.scalar("select count() from revlog") == 0, "no review log without --with-progress")
        new_cards = col.db.scalar("select count() from cards where type = 0")
        check(new_cards == len(cards), f"all {new_cards} cards new in Anki")

        # The same decks exported again, into the same collection.
        log = import_package(col, again, with_scheduling=False)
        check(len(log.new) == 0, f"second export into the same collection: {len(log.new)} new, "
              f"{len(log.updated)} updated, {len(log.duplicate)} duplicate")
        check(col.note_count() == len(cards), f"notes after importing twice: {col.note_count()}")

        # A deck of the user's, edited in prep and exported again: the
        # note is updated in Anki, not added.
        notes = os.path.join(work, "mine.md")
        with open(notes, "w") as out:
            out.write("# Mine\n\n## What is a VPC?\n\nA private network in AWS.\n\n"
                      "## What is a subnet?\n\nA range of addresses in a VPC.\n")
        prep(binary, home, now, "import", notes)
        mine = os.path.join(work, "mine.apkg")
        prep(binary, home, now, "export", "--deck", "mine", "--format", "apkg", "-o", mine)
        log = import_package(col, mine, with_scheduling=False)
        check(len(log.new) == 2, f"a user's deck: {len(log.new)} new notes")
        with open(notes, "w") as out:
            out.write("# Mine\n\n## What is a VPC?\n\nA private network in AWS, split into subnets.\n\n"
                      "## What is a subnet?\n\nA range of addresses in a VPC.\n")
        # An hour later: Anki updates a note when the incoming one is newer.
        later = f"{today}T07:00:00Z"
        prep(binary, home, later, "import", notes)
        prep(binary, home, later, "export", "--deck", "mine", "--format", "apkg", "-o", mine)
        log = import_package(col, mine, with_scheduling=False)
        check(len(log.new) == 0 and len(log.updated) >= 1 and len(col.find_notes("deck:mine")) == 2,
              f"the answer edited in prep and exported again: {len(log.new)} new, {len(log.updated)} updated")
        backs = [col.get_note(nid)["Back"] for nid in col.find_notes("deck:mine")]
        check(any("subnets" in back for back in backs), f"the note in Anki now reads {backs[0]!r}")
        col.close()

        # A fresh collection, the package with progress.
        col = Collection(os.path.join(work, "progress.anki2"))
        log = import_package(col, progress, with_scheduling=True)
        check(len(log.new) == len(cards), f"import with progress: {len(log.new)} new notes")
        revlog = col.db.all("select id, cid, ease, ivl, type, time from revlog order by id")
        check(len(revlog) == len(history), f"review log: {len(revlog)} entries, prep history {len(history)}")
        grades = {"again": 1, "hard": 2, "good": 3, "easy": 4}
        same = all(row[2] == grades[review["grade"]] for row, review in zip(revlog, history))
        check(same, "review log grades in the order prep made them")
        reviewed = {review["card"] for review in history}
        in_review = col.db.scalar("select count() from cards where type = 2")
        learning = col.db.scalar("select count() from cards where type in (1, 3)")
        new_cards = col.db.scalar("select count() from cards where type = 0")
        check(new_cards == len(cards) - len(reviewed), f"cards: {new_cards} new, {learning} learning, {in_review} review; prep reviewed {len(reviewed)}")
        memory = col.db.scalar("select count() from cards where data like '%\"s\":%'")
        check(memory == len(reviewed), f"{memory} cards carry their FSRS memory state")
        # Due days as Anki counts them (days after its today) against prep's
        # due dates: the same days, so reviewing goes on where prep left off.
        anki_today = col.sched.today
        anki_days = sorted(row[0] - anki_today for row in col.db.all("select due from cards where type = 2"))
        now_day = datetime.date.fromisoformat(now[:10])
        prep_days = sorted(
            (datetime.date.fromisoformat(card["due"][:10]) - now_day).days
            for card in cards if card["state"] == "review"
        )
        check(anki_days == prep_days, f"review cards due in {anki_days} days in Anki, {prep_days} in prep")

        # And back: a card reviewed in Anki (Good), Anki's own export with
        # scheduling ("Support older Anki versions"), read by prep: the
        # review made in Anki joins prep's history, and nothing else does.
        cid = col.db.scalar("select id from cards where type = 2 order by due, id limit 1")
        card = col.get_card(cid)
        logged = set(col.db.list("select id from revlog"))
        card.start_timer()
        col.sched.answerCard(card, 3)
        # The review at a time of the day prep's own came before (Anki logs
        # the real clock; prep's reviews were made with PREP_NOW, which is
        # after the real clock in the small hours: the new entry is not
        # always the latest).
        new = [id for id in col.db.list("select id from revlog") if id not in logged]
        answered = datetime.datetime.fromisoformat(f"{today}T08:00:00+00:00")
        col.db.execute("update revlog set id = ? where id = ?", int(answered.timestamp() * 1000), new[0])
        guid = col.get_note(card.nid).guid
        from_anki = os.path.join(work, "from-anki.apkg")
        col.export_anki_package(
            out_path=from_anki,
            options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=False, legacy=True),
            limit=None,
        )
        # And as Anki's export dialog writes it by default.
        from_anki_newer = os.path.join(work, "from-anki-newer.apkg")
        col.export_anki_package(
            out_path=from_anki_newer,
            options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=False, legacy=False),
            limit=None,
        )
        col.close()
        home_newer = os.path.join(work, "home-newer")
        shutil.copytree(home, home_newer)
        said = prep(binary, home, f"{today}T09:00:00Z", "import", "--with-progress", from_anki)
        print(said, end="")
        after = [json.loads(line) for line in prep(binary, home, f"{today}T09:00:00Z", "history", "--json").splitlines()]
        added = after[len(history):]
        check(len(after) == len(history) + 1 and after[:len(history)] == history,
              f"prep history after importing Anki's export: {len(after)} reviews, {len(history)} before")
        check([(review["card"], review["grade"]) for review in added] == [(guid.removeprefix("prep:"), "good")],
              f"the review made in Anki, in prep: {[(r['card'], r['grade']) for r in added]}")
        prep(binary, home, f"{today}T09:00:00Z", "import", "--with-progress", from_anki)
        again = prep(binary, home, f"{today}T09:00:00Z", "history", "--json").splitlines()
        check(len(again) == len(after), f"the same package read again: {len(again)} reviews")
        prep(binary, home_newer, f"{today}T09:00:00Z", "import", "--with-progress", from_anki_newer)
        newer = [json.loads(line) for line in prep(binary, home_newer, f"{today}T09:00:00Z", "history", "--json").splitlines()]
        check(newer == after, f"the same collection in Anki's default format: {len(newer)} reviews, the same history")
        check_media(binary, work)
        check_sides(binary, work, today)
    print("all checks passed")


SIDES_DECK = """\
cards:
- id: capital
  question: What is the capital of **France**?
  answer: Paris.
  reverse: true
- id: where
  question: '{{c1::Paris}} is the capital of {{c2::France::a country}}, on the {{c1::Seine}}.'
  answer: Since the 10th century.
"""


def visible(html):
    """The text Anki shows: tags (and the hidden text Anki keeps in their
    attributes) and the note type's style left out."""
    return re.sub(r"<[^>]*>", "", re.sub(r"<style>.*?</style>", "", html, flags=re.S))


def check_sides(binary, work, today):
    """Reversed and cloze cards, out to Anki and back."""
    home = os.path.join(work, "sides-home")
    os.makedirs(os.path.join(home, "decks"))
    with open(os.path.join(home, "decks", "geo.yaml"), "w") as out:
        out.write(SIDES_DECK)
    now = f"{today}T05:00:00Z"
    prep(binary, home, now, "grade", "capital:r", "good")
    prep(binary, home, now, "grade", "where:c2", "easy")
    package = os.path.join(work, "sides.apkg")
    print(prep(binary, home, now, "export", "--deck", "geo", "--format", "apkg", "--with-progress", "-o", package), end="")
    col = Collection(os.path.join(work, "sides.anki2"))
    log = import_package(col, package, with_scheduling=True)
    check(len(log.new) == 2 and col.card_count() == 4, f"reversed and cloze notes: {len(log.new)} new notes, {col.card_count()} cards")
    by_guid = {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}
    capital, where = by_guid["prep:capital"], by_guid["prep:where"]
    check(capital.note_type()["name"] == "prep (and reversed card)", f"capital is a {capital.note_type()['name']!r} note")
    check(where.note_type()["type"] == 1, f"where is a cloze note ({where.note_type()['name']!r})")
    reversed_card = next(card for card in capital.cards() if card.ord == 1)
    asked = visible(reversed_card.question()).strip()
    check(asked == "Paris.", f"the reversed card asks the answer: {asked!r}")
    fronts = {card.ord: visible(card.question()) for card in where.cards()}
    check(sorted(fronts) == [0, 1], f"one Anki card per cloze number: ords {sorted(fronts)}")
    check(fronts[0] == "[...] is the capital of France, on the [...].", f"Anki's cloze 1: {fronts[0]!r}")
    check(fronts[1] == "Paris is the capital of [a country], on the Seine.", f"Anki's cloze 2: {fronts[1]!r}")
    reviewed = col.db.all("select c.ord, n.guid, count(r.id) from cards c join notes n on n.id = c.nid "
                          "left join revlog r on r.cid = c.id group by c.id order by n.guid, c.ord")
    check(reviewed == [[0, "prep:capital", 0], [1, "prep:capital", 1], [0, "prep:where", 0], [1, "prep:where", 1]],
          f"each side's review is its own Anki card's: {reviewed}")

    # A review of the reversed card in Anki comes back to capital:r.
    history = prep(binary, home, now, "history", "--json").splitlines()
    logged = set(col.db.list("select id from revlog"))
    reversed_card.start_timer()
    col.sched.answerCard(reversed_card, 3)
    # Moved to a time after prep's reviews, which PREP_NOW put at 05:00
    # (before the real clock's, or after it in the small hours).
    new = [id for id in col.db.list("select id from revlog") if id not in logged]
    answered = datetime.datetime.fromisoformat(f"{today}T08:00:00+00:00")
    col.db.execute("update revlog set id = ? where id = ?", int(answered.timestamp() * 1000), new[0])

    # Notes made in Anki on its stock note types.
    basic_reversed = col.models.by_name("Basic (and reversed card)")
    cloze = col.models.by_name("Cloze")
    deck_id = col.decks.id("Made in Anki")
    note = col.new_note(basic_reversed)
    note["Front"], note["Back"] = "What is 6 x 7?", "42"
    col.add_note(note, deck_id)
    note = col.new_note(cloze)
    note["Text"] = "{{c1::Rust}} was first released in {{c2::2015}}."
    col.add_note(note, deck_id)
    from_anki = os.path.join(work, "sides-from-anki.apkg")
    col.export_anki_package(
        out_path=from_anki,
        options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=False, legacy=True),
        limit=None,
    )
    col.close()
    later = f"{today}T09:00:00Z"
    print(prep(binary, home, later, "import", "--with-progress", from_anki), end="")
    after = [json.loads(line) for line in prep(binary, home, later, "history", "--json").splitlines()]
    added = [(review["card"], review["grade"]) for review in after[len(history):]]
    check(added == [("capital:r", "good")], f"the review made in Anki on the reversed card, in prep: {added}")
    made = json.loads(prep(binary, home, later, "cards", "--deck", "made-in-anki", "--json"))
    sides = [(card["side"], card.get("cloze"), card["question"]) for card in made]
    check(sides == [
        ("forward", None, "What is 6 x 7?"),
        ("reversed", None, "42"),
        ("cloze", 1, "[...] was first released in 2015."),
        ("cloze", 2, "Rust was first released in [...]."),
    ], f"Anki's stock notes in prep: {sides}")


def check_media(binary, work):
    """Images both ways, with Anki's default export format."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    # The real PNG Anki put in the fixtures.
    fixture = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "anki",
                           "anki-legacy.apkg")
    with zipfile.ZipFile(fixture) as package:
        png = package.read("0")
    # A deck made in Anki, with an image, exported as Anki's dialog does.
    col = Collection(os.path.join(work, "media.anki2"))
    deck = col.decks.id("Pictures")
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"] = 'Which device is this?<br><img src="my router.png">'
    note["Back"] = "A router."
    col.add_note(note, deck)
    with open(os.path.join(col.media.dir(), "my router.png"), "wb") as out:
        out.write(png)
    from_anki = os.path.join(work, "pictures.apkg")
    col.export_anki_package(
        out_path=from_anki,
        options=ExportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False, with_media=True, legacy=False),
        limit=None,
    )
    col.close()
    with zipfile.ZipFile(from_anki) as package:
        names = sorted(package.namelist())
    check("collection.anki21b" in names, f"Anki's default export holds {names}")
    home = os.path.join(work, "media-home")
    said = prep(binary, home, now, "import", from_anki)
    print(said, end="")
    copied = os.path.join(home, "decks", "media", "pictures", "my router.png")
    check(os.path.isfile(copied) and open(copied, "rb").read() == png,
          f"prep copied the image to {os.path.relpath(copied, home)} ({len(png)} bytes, the same)")
    deck_text = open(os.path.join(home, "decks", "pictures.yaml")).read()
    check("![](<media/pictures/my router.png>)" in deck_text, "the card refers to it beside the deck")

    # prep's export of a deck with an image, into a fresh Anki collection.
    notes = os.path.join(work, "notes")
    os.makedirs(os.path.join(notes, "img"))
    with open(os.path.join(notes, "img", "diagram.png"), "wb") as out:
        out.write(png)
    with open(os.path.join(notes, "net.md"), "w") as out:
        out.write("# Net\n\n## What does this diagram show?\n\n![the diagram](img/diagram.png)\n\nA router.\n")
    prep(binary, home, now, "import", os.path.join(notes, "net.md"))
    exported = os.path.join(work, "net.apkg")
    print(prep(binary, home, now, "export", "--deck", "net", "--deck", "pictures", "--format", "apkg", "-o", exported), end="")
    col = Collection(os.path.join(work, "media-back.anki2"))
    log = import_package(col, exported, with_scheduling=False)
    check(len(log.new) == 2, f"Anki imported {len(log.new)} new notes")
    media_dir = col.media.dir()
    held = sorted(os.listdir(media_dir))
    check("diagram.png" in held and "my_router.png" in held, f"Anki's media folder holds {held}")
    check(all(open(os.path.join(media_dir, name), "rb").read() == png for name in ("diagram.png", "my_router.png")),
          "with the same bytes")
    fronts = [col.get_note(nid)["Front"] + col.get_note(nid)["Back"] for nid in col.find_notes("")]
    check(any('src="diagram.png"' in text for text in fronts), "a note refers to diagram.png as Anki does")
    check(col.media.check().missing == [], "Anki's media check finds no file missing")
    col.close()


if __name__ == "__main__":
    main()
