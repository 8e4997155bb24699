#!/usr/bin/env python3
"""Makes the Anki-written fixtures in tests/fixtures/anki/ with the `anki`
package from PyPI (the library inside Anki's desktop app):

- `anki-legacy.apkg`: a deck of three Basic notes (one with an image and a
  sound, one with a list and code) and a few reviews, exported with
  "Support older Anki versions" (schema 11, with the image in the JSON
  media map);
- `anki-newer.apkg`: the same deck in the format Anki's export dialog
  writes by default (`legacy=False`: a zstd-compressed schema-18
  collection.anki21b, and the media map and files zstd-compressed, the map
  a protobuf message);
- `anki-notes.txt`: the deck as "Notes in Plain Text", with HTML, tags,
  deck and GUID columns;
- `anki-legacy.colpkg`: the whole collection as a collection package,
  with "Support older Anki versions".

    /tmp/ankienv/bin/python scripts/make-anki-fixtures.py tests/fixtures/anki
"""

import os
import struct
import sys
import tempfile
import zlib

from anki.collection import Collection, DeckIdLimit
from anki.import_export_pb2 import ExportAnkiPackageOptions



def png():
    """A real 2x2 PNG, so that viewers opened on it show it."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    pixels = b"".join(b"\x00" + b"\x20\x60\xa0" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b""))


out = sys.argv[1]
with tempfile.TemporaryDirectory() as work:
    col = Collection(os.path.join(work, "c.anki2"))
    deck = col.decks.id("Networking::Basics")
    basic = col.models.by_name("Basic")
    rows = [
        ("What does <b>DNS</b> do?", "Turns names into addresses.<br>It runs on port 53.", "net dns"),
        ("Name three HTTP methods", "<ul><li>GET</li><li>POST</li><li>PUT</li></ul><pre><code>curl -X POST url</code></pre>", "net http"),
        ("What is this?<br><img src=\"router.png\">", "A router. [sound:router.mp3]", "net"),
    ]
    for front, back, tags in rows:
        note = col.new_note(basic)
        note["Front"], note["Back"] = front, back
        note.tags = tags.split()
        col.add_note(note, deck)
    with open(os.path.join(col.media.dir(), "router.png"), "wb") as image:
        image.write(png())
    # A few reviews, as the scheduler would make them.
    col.decks.select(deck)
    for _ in range(3):
        card = col.sched.getCard()
        if card is None:
            break
        col.sched.answerCard(card, 3)
    limit = DeckIdLimit(deck)
    for name, legacy in (("anki-legacy.apkg", True), ("anki-newer.apkg", False)):
        col.export_anki_package(
            out_path=os.path.join(out, name),
            options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False, with_media=True, legacy=legacy),
            limit=limit,
        )
    col.export_note_csv(
        out_path=os.path.join(out, "anki-notes.txt"),
        limit=limit, with_html=True, with_tags=True, with_deck=True, with_notetype=True, with_guid=True,
    )
    # Last: exporting a collection package closes the collection.
    col.export_collection_package(os.path.join(out, "anki-legacy.colpkg"), include_media=True, legacy=True)
print("made", sorted(os.listdir(out)))
