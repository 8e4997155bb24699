//! pulldown-cmark's bare parse, the floor `prep import` is measured
//! against: the importer's parser options, every event walked with its
//! source range. Shared by the import benchmarks and `examples/bare_parse.rs`.

use pulldown_cmark::Parser;

/// Parses `text` as the importer does and returns how many events it has.
pub fn events(text: &str) -> usize {
    Parser::new_ext(
        text,
        prep::markdown::options() | pulldown_cmark::Options::ENABLE_DEFINITION_LIST,
    )
    .into_offset_iter()
    .count()
}
