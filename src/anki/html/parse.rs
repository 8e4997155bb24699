//! The HTML of Anki fields as a tree: a tolerant parser of what Anki's
//! editor and prep's renderer write, forgiving what browsers forgive, for
//! the markdown writer in [`super`] to walk.

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
    let mut rest = html;
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
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            push(&mut stack, Node::Text(decode(rest)));
            break;
        };
        if open > 0 {
            push(&mut stack, Node::Text(decode(&rest[..open])));
        }
        rest = &rest[open..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let Some(end) = rest.find('>') else {
            push(&mut stack, Node::Text(decode(rest)));
            break;
        };
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if stack.iter().skip(1).any(|(open, _, _)| *open == name) {
                while stack.last().is_some_and(|(open, _, _)| *open != name) {
                    close_top(&mut stack);
                }
                close_top(&mut stack);
            }
            continue;
        }
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        let (name, attributes) = parse_tag(tag);
        if name.is_empty() {
            push(&mut stack, Node::Text(format!("<{tag}>")));
            continue;
        }
        // A new item or paragraph ends the one still open.
        if matches!(name.as_str(), "li" | "p" | "tr" | "td" | "th")
            && stack.last().is_some_and(|(open, _, _)| *open == name)
        {
            close_top(&mut stack);
        }
        if VOID.contains(&name.as_str()) || tag.ends_with('/') {
            push(
                &mut stack,
                Node::Element {
                    name,
                    attributes,
                    children: Vec::new(),
                },
            );
        } else if matches!(name.as_str(), "script" | "style") {
            // Their text is not content.
            let closing = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = lower
                .find(&closing)
                .and_then(|at| rest[at..].find('>').map(|end| &rest[at + end + 1..]))
                .unwrap_or("");
        } else {
            stack.push((name, attributes, Vec::new()));
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

/// `a href="x" class=y` into a lowercase name and attributes.
fn parse_tag(tag: &str) -> (String, Vec<(String, String)>) {
    let tag = tag.trim_end_matches('/').trim();
    let name_end = tag.find(|c: char| c.is_whitespace()).unwrap_or(tag.len());
    let name = tag[..name_end].to_ascii_lowercase();
    if !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return (String::new(), Vec::new());
    }
    let mut attributes = Vec::new();
    let mut rest = tag[name_end..].trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_ascii_lowercase();
        rest = rest[key_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, remaining) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let end = inner.find(quote).unwrap_or(inner.len());
                    (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_whitespace())
                        .unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = decode(raw);
            rest = remaining.trim_start();
        }
        if !key.is_empty() {
            attributes.push((key, value));
        }
    }
    (name, attributes)
}

/// Decodes character references; unknown ones stay as written.
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&end| end <= 10);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let character = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => {
                    let number = name.strip_prefix('#')?;
                    let value = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => number.parse().ok(),
                    }?;
                    char::from_u32(value)
                }
            }?;
            Some((character, end))
        });
        match decoded {
            Some((character, end)) => {
                out.push(character);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
