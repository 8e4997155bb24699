//! pulldown-cmark's bare parse, the floor `prep import` is measured
//! against: the importer's parser options, every event walked with its
//! source range. Shared by the import benchmarks and `examples/bare_parse.rs`.

use pulldown_cmark::{Options, Parser};

/// Parses `text` as the importer does and returns how many events it has.
pub fn events(text: &str) -> usize {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    Parser::new_ext(text, options).into_offset_iter().count()
}
