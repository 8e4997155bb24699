/*!
Decks on disk: what a deck file is and how prep finds, reads and writes
them.

- [`deck`]: the YAML deck model, loaded and validated, saved atomically.
- [`cloze`]: cloze deletions (`{{c1::...}}`) parsed, and the two sides of
  one cloze number rendered as markdown.
- [`card_identity`]: a card's id and the fingerprint of its fields, both
  stored values, defined once.
- [`sides`]: the cards a written card gives (itself, its reversed side, one
  per cloze number) and the one definition of their ids.
- [`lines`]: where each card starts in a deck's text, for an editor's
  `+LINE` and for error messages, and writing ids into a file a person
  typed.
- [`cache`]: parsed decks kept between runs, so a large collection starts
  fast.
- [`collection`]: the decks of a home, as files: the decks directory and
  the bundled decks, listed, loaded by name, and copied out for editing.
- [`catalog`]: the cards of the decks a command is about, loaded and
  indexed by id, for the quiz and the commands that look cards up.
  (A collection knows files; a catalog knows cards.)
- [`changes`]: what changed between two versions of a deck, card by card.
- [`deleted`]: what a home keeps of cards and decks taken out of it, so
  that a card found again comes back with its id and its history.
- [`import_record`]: what a deck's notes said when last imported, kept
  beside the deck so a re-import can tell who changed what.
- [`media`]: the images, links and sounds a card's markdown refers to, and
  where a deck's relative paths are looked for.
*/

pub mod cache;
pub mod card_identity;
pub mod catalog;
pub mod changes;
pub mod cloze;
pub mod collection;
pub mod deck;
pub mod deleted;
pub mod import_record;
pub mod lines;
pub mod media;
pub mod sides;
pub mod stamp;
