//! The reference answer read for its gist: its blocks of text, the stems
//! of its lead, and its content words weighed.

use super::*;

/// A paragraph, heading or list item of the answer: its text in (text,
/// role) pieces.
pub(super) struct TextBlock {
    pieces: Vec<(String, Role)>,
    /// A paragraph outside any list: the first block is the lead when it is
    /// one (and no intro to a list).
    paragraph: bool,
}

/// The answer's blocks with some letter in them, in reading order; code
/// blocks left out.
pub(super) fn blocks_of(markdown: &str) -> Vec<TextBlock> {
    let mut blocks: Vec<TextBlock> = Vec::new();
    let mut current: Vec<(String, Role)> = Vec::new();
    let mut paragraph = false;
    let mut in_code_block = false;
    let mut in_link = 0usize;
    let mut in_item = 0usize;
    let flush =
        |current: &mut Vec<(String, Role)>, blocks: &mut Vec<TextBlock>, paragraph: bool| {
            if current.iter().any(|(t, _)| has_letter(t)) {
                blocks.push(TextBlock {
                    pieces: std::mem::take(current),
                    paragraph,
                });
            }
            current.clear();
        };
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => in_code_block = false,
            Event::Start(Tag::Link { .. }) | Event::Start(Tag::Image { .. }) => in_link += 1,
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                in_link = in_link.saturating_sub(1)
            }
            Event::Start(Tag::Item) => {
                flush(&mut current, &mut blocks, paragraph);
                in_item += 1;
                paragraph = false;
            }
            Event::End(TagEnd::Item) => {
                flush(&mut current, &mut blocks, false);
                in_item = in_item.saturating_sub(1);
            }
            Event::Start(Tag::Paragraph) | Event::Start(Tag::Heading { .. }) => {
                flush(&mut current, &mut blocks, paragraph);
                paragraph = in_item == 0;
            }
            Event::End(TagEnd::Heading(_)) => {
                flush(&mut current, &mut blocks, false);
                paragraph = false;
            }
            Event::End(TagEnd::Paragraph) => {
                flush(&mut current, &mut blocks, paragraph);
                paragraph = false;
            }
            Event::Text(text) if !in_code_block => {
                let role = if in_link > 0 {
                    Role::Illustration
                } else {
                    Role::Prose
                };
                current.push((text.into_string(), role));
            }
            Event::Code(text) => current.push((text.into_string(), Role::Illustration)),
            Event::SoftBreak | Event::HardBreak => current.push((" ".into(), Role::Prose)),
            _ => {}
        }
    }
    flush(&mut current, &mut blocks, paragraph);
    blocks
}

/// The stems of the lead's content words: the opening paragraph's first
/// sentence, and the next ones while it has too few words. None when the
/// answer opens with no paragraph, or with an intro to a list.
pub(super) fn lead_stems(blocks: &[TextBlock], given: &FastSet<String>) -> FastSet<String> {
    let lead_text = blocks.first().and_then(|block| {
        let text: String = block
            .pieces
            .iter()
            .filter(|(_, role)| *role == Role::Prose)
            .map(|(t, _)| t.as_str())
            .collect();
        (block.paragraph && !text.trim_end().ends_with(':')).then_some(text)
    });
    let mut lead = FastSet::default();
    if let Some(text) = &lead_text {
        let mut words = 0;
        for sentence in split_sentences(text) {
            for tok in content_toks(&sentence) {
                if given.contains(&tok.stem) {
                    continue;
                }
                words += 1;
                lead.insert(tok.stem.clone());
            }
            if words >= MIN_LEAD_WORDS {
                break;
            }
        }
    }
    lead
}

/// The answer's distinct content words in reading order, each with its
/// weight and whether it is in the lead; and the answer as plain text, a
/// line per block.
pub(super) fn weighted_words(
    blocks: &[TextBlock],
    given: &FastSet<String>,
    lead: &FastSet<String>,
) -> (Vec<(Tok, f32, bool)>, String) {
    let mut weights: FastMap<String, (Tok, f32)> = FastMap::default();
    let mut order: Vec<String> = Vec::new();
    let mut plain = String::new();
    for block in blocks {
        for (text, role) in &block.pieces {
            plain.push_str(text);
            plain.push(' ');
            for (tok, light) in gist_toks(text) {
                if given.contains(&tok.stem) {
                    continue;
                }
                let weight = if *role == Role::Illustration || tok.digit {
                    ILLUSTRATION_WEIGHT
                } else if light {
                    LIGHT_WEIGHT
                } else if lead.contains(&tok.stem) {
                    LEAD_WEIGHT
                } else {
                    BODY_WEIGHT
                };
                let entry = weights.entry(tok.stem.clone()).or_insert_with(|| {
                    order.push(tok.stem.clone());
                    (tok.clone(), 0.0)
                });
                entry.1 = entry.1.max(weight);
            }
        }
        plain.push('\n');
    }
    let words = order
        .into_iter()
        .filter_map(|stem| weights.remove(&stem))
        .map(|(tok, weight)| {
            let in_lead = lead.contains(&tok.stem);
            (tok, weight, in_lead)
        })
        .collect();
    (words, plain)
}
