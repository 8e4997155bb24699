//! placeholder
use super::Rewritten;
pub fn looks_like_rst(_text: &str) -> bool {
    false
}
pub fn to_markdown(text: &str) -> Rewritten {
    Rewritten {
        markdown: text.to_owned(),
        title: None,
    }
}
