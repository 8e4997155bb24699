//! The HTML of Anki fields as a tree: a tolerant parser of what Anki's
//! editor and prep's renderer write, forgiving what browsers forgive, for
//! the markdown writer in [`super`] to walk, built from the tags of
//! [`crate::html`].

use crate::html::{self, Token};

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Node {
    Text(String),
    Element {
        name: String,
        attributes: Vec<(String, String)>,
        children: Vec<Node>,
    },
}

impl Node {
    pub(super) fn attribute(&self, wanted: &str) -> Option<&str> {
        match self {
            Node::Element { attributes, .. } => attributes
                .iter()
                .find(|(name, _)| name == wanted)
                .map(|(_, value)| value.as_str()),
            Node::Text(_) => None,
        }
    }
}

/// An element still open while parsing: its name, attributes and the
/// children read so far.
type Open = (String, Vec<(String, String)>, Vec<Node>);

const VOID: &[&str] = &[
    "br", "hr", "img", "input", "meta", "link", "wbr", "col", "source", "area",
];

/// Parses HTML into a tree, forgiving what browsers forgive: unclosed and
/// stray tags, unquoted attributes, unknown entities.
pub(super) fn parse(html: &str) -> Vec<Node> {
    // The open elements: name, attributes, children so far.
    let mut stack: Vec<Open> = vec![(String::new(), Vec::new(), Vec::new())];
    let push = |stack: &mut Vec<Open>, node: Node| {
        if let Some(top) = stack.last_mut() {
            top.2.push(node);
        }
    };
    let close_top = |stack: &mut Vec<Open>| {
        if stack.len() > 1
            && let Some((name, attributes, children)) = stack.pop()
            && let Some(parent) = stack.last_mut()
        {
            parent.2.push(Node::Element {
                name,
                attributes,
                children,
            });
        }
    };
    let mut tokens = html::tokens(html);
    while let Some(token) = tokens.next() {
        let tag = match token {
            Token::Text(text) => {
                push(&mut stack, Node::Text(html::decode(text).into_owned()));
                continue;
            }
            Token::Comment(_) => continue,
            // (a tag without its `>` is the text it is)
            Token::Tag(tag) if !tag.closed => {
                push(
                    &mut stack,
                    Node::Text(html::decode(tag.source).into_owned()),
                );
                continue;
            }
            Token::Tag(tag) => tag,
        };
        let name = tag.name.to_ascii_lowercase();
        if tag.closing {
            if stack.iter().skip(1).any(|(open, _, _)| *open == name) {
                while stack.last().is_some_and(|(open, _, _)| *open != name) {
                    close_top(&mut stack);
                }
                close_top(&mut stack);
            }
            continue;
        }
        if !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            // (`<o:p>` and the like are no elements a card holds)
            push(&mut stack, Node::Text(tag.source.to_string()));
            continue;
        }
        // A new item or paragraph ends the one still open.
        if matches!(name.as_str(), "li" | "p" | "tr" | "td" | "th")
            && stack.last().is_some_and(|(open, _, _)| *open == name)
        {
            close_top(&mut stack);
        }
        if VOID.contains(&name.as_str()) || tag.self_closing() {
            push(
                &mut stack,
                Node::Element {
                    name,
                    attributes: tag.attributes(),
                    children: Vec::new(),
                },
            );
        } else if matches!(name.as_str(), "script" | "style") {
            // Their text is not content.
            tokens.skip_raw_text(&name);
        } else {
            stack.push((name, tag.attributes(), Vec::new()));
        }
    }
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    stack
        .pop()
        .map(|(_, _, children)| children)
        .unwrap_or_default()
}
