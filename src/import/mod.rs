/*!
Notes to cards.

The importer is a general reader of Q&A documents, not a set of rules for
known files. [`text`] repairs the bytes; [`document`] reads markdown (with
pulldown-cmark) or plain text into one flat model of blocks; [`detect`]
scores every block that could be a question and decides, per document,
which conventions the author used; [`assemble`] cuts each answer from the
source and reports every line no card took; [`merge`] folds the result
into an existing deck without losing ids.
*/

pub mod assemble;
pub mod detect;
pub mod document;
pub mod markers;
pub mod merge;
pub mod text;

pub use assemble::{FoundCard, SkipReason, Skipped};
pub use merge::{CardStatus, Merged, merge};
pub use text::TextError;

/// What a document holds: its title, its cards, and what was left out.
#[derive(Debug, Clone)]
pub struct Notes {
    pub title: Option<String>,
    /// Whether the document was read as markdown (else as plain text).
    pub markdown: bool,
    pub cards: Vec<FoundCard>,
    pub skipped: Vec<Skipped>,
}

/// Reads notes from raw bytes.
pub fn read_notes(bytes: &[u8]) -> Result<Notes, TextError> {
    let text = text::decode(bytes)?;
    Ok(read_text(text))
}

/// Reads notes from text that is already clean UTF-8 with `\n` line ends.
pub fn read_text(text: String) -> Notes {
    let markdown = text::looks_like_markdown(&text);
    let document = document::Document::parse(text, markdown);
    let questions = detect::detect(&document);
    let assembled = assemble::assemble(&document, &questions);
    Notes {
        title: assembled.title,
        markdown,
        cards: assembled.cards,
        skipped: assembled.skipped,
    }
}
