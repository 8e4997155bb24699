//! The reviewer's keys, listed once: `?` in the reviewer shows this list
//! and `prep help quiz` prints it, so neither can leave a key out or
//! describe one differently.

/// Each key (or keys) and what it does, in the order they are shown.
pub const KEYS: &[(&str, &str)] = &[
    ("Space, Enter", "show the answer"),
    ("1 2 3 4", "grade: again, hard, good, easy"),
    (
        "Enter, Space",
        "once the answer shows: grade good (or the grade --type suggests)",
    ),
    ("↑ ↓ j k", "scroll a line"),
    ("Space PgDn", "scroll a page down (PgUp, b: up)"),
    ("g G", "top, bottom"),
    ("u", "undo the last grade, skip or suspend"),
    ("s", "skip this card until tomorrow"),
    ("!", "suspend this card until `prep unsuspend`"),
    ("m", "mark or unmark this card"),
    ("e", "edit the card's deck in $EDITOR"),
    (
        "o",
        "open the card's image (the question's, until the answer shows)",
    ),
    ("?", "this list of keys"),
    ("q Esc Ctrl-C", "quit (every grade is already saved)"),
];

/// The columns the keys take, before what they do.
pub const KEY_COLUMNS: usize = 14;

/// The keys as `prep help quiz` prints them: a heading, then one key a
/// line.
pub fn help_text() -> String {
    let mut text = String::from("Keys in the reviewer:\n");
    for (keys, what) in KEYS {
        text.push_str(&format!("  {keys:<KEY_COLUMNS$}{what}\n"));
    }
    text
}
