#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with starting inputs: the small hand-made seeds
# in fuzz/seeds/, slices of the notes under tests/fixtures/ (whole documents
# are up to 230 KB, too big to mutate quickly) and the example decks.
# Safe to run again: existing corpus files are kept.
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/import corpus/deck
cp -n seeds/import/* corpus/import/
cp -n seeds/deck/* corpus/deck/
for notes in "$root"/tests/fixtures/corpus/*.md "$root"/tests/fixtures/seeds/*.txt \
    "$root"/tests/fixtures/answers/*.md "$root"/tests/fixtures/syntaxes/*.md \
    "$root"/tests/fixtures/formats/*; do
    name=$(basename "$notes")
    [ "$name" = README.md ] && continue
    lines=$(wc -l < "$notes")
    # The opening (title, table of contents, first questions) and one
    # slice from the middle, 80 lines each.
    head -n 80 "$notes" > "corpus/import/fixture-head-$name"
    if [ "$lines" -gt 160 ]; then
        sed -n "$((lines / 2)),$((lines / 2 + 79))p" "$notes" > "corpus/import/fixture-middle-$name"
    fi
done
for deck in "$root"/decks/*.yaml; do
    name=$(basename "$deck")
    # The first few cards of each example deck, cut at a card boundary.
    awk '/^- id:/ { cards++ } cards > 4 { exit } { print }' "$deck" > "corpus/deck/example-$name"
done
echo "import: $(ls corpus/import | wc -l) files, deck: $(ls corpus/deck | wc -l) files"
