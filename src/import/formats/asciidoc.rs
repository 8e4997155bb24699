//! placeholder
use super::Rewritten;
pub fn looks_like_asciidoc(_text: &str) -> bool {
    false
}
pub fn to_markdown(text: &str) -> Rewritten {
    Rewritten {
        markdown: text.to_owned(),
        title: None,
    }
}
