//! The markdown flavour of cards, defined once: the importer reads notes
//! with it (and with what only notes hold: definition lists, each made a
//! card, and front matter), the reviewer renders answers with it, Anki
//! export turns it into HTML with it, and typed answers are checked against
//! what it parses. Had
//! two of them read different flavours, a table or a task list in an answer
//! would be a table on one side and text on the other.

use pulldown_cmark::{HeadingLevel, Options};

/// GitHub's flavour: tables, strikethrough, task lists, and its block
/// quote tags (`> [!NOTE]`).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
}

/// A heading's level as a number, 1 for `#` to 6 for `######`.
pub fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flavour decides how every stored deck reads: pinned.
    #[test]
    fn the_flavour_is_pinned() {
        assert_eq!(
            options(),
            Options::ENABLE_TABLES
                | Options::ENABLE_STRIKETHROUGH
                | Options::ENABLE_TASKLISTS
                | Options::ENABLE_GFM
        );
        // The bits as pulldown-cmark 0.13 numbers them.
        assert_eq!(options().bits(), 2074);
        assert_eq!(heading_level(HeadingLevel::H3), 3);
    }
}
