//! Code fences nested as their author meant them. Notes often show a code
//! block inside another, both fenced with backticks: an outer ```` ``` ````
//! around an answer, and inside it an indented ```` ```python ```` ... ```` ``` ````.
//! CommonMark lets the inner bare fence close the outer block, and every
//! heading after it is then read as code, or code as headings. The inner
//! pair is turned into tildes of the same length, which inside a backtick
//! block are text: the document keeps its byte offsets, and the outer
//! block holds what the author put in it.

/// A fence line: its indent, its character, its length and whether an
/// info string follows (`python`).
struct Fence {
    indent: usize,
    mark: u8,
    length: usize,
    info: bool,
}

fn fence(line: &str) -> Option<Fence> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    let mark = *rest.as_bytes().first()?;
    if mark != b'`' && mark != b'~' {
        return None;
    }
    let length = rest.bytes().take_while(|&byte| byte == mark).count();
    let info = rest[length..].trim();
    (length >= 3 && !(mark == b'`' && info.contains('`'))).then_some(Fence {
        indent,
        mark,
        length,
        info: !info.is_empty(),
    })
}

/// Rewrites, in place, each fence pair nested inside an open backtick
/// fence: opened with an info string, indented deeper than the outer
/// fence, and closed by a bare fence before the outer one closes.
pub fn repair_nested(text: &mut String) {
    // Most documents have no fence at all: one search settles them.
    if !text.contains("```") {
        return;
    }
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    let mut outer: Option<Fence> = None;
    // (where the inner fence opened, its indent and its length)
    let mut inner: Option<(usize, usize, usize)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let Some(found) = fence(line.trim_end_matches(['\n', '\r'])) else {
            continue;
        };
        let Some(open) = &outer else {
            if found.indent <= 3 {
                outer = Some(found);
            }
            continue;
        };
        let same = found.mark == open.mark && found.length >= open.length;
        match inner {
            // closed as deep as it opened: the inner pair
            Some((at, indent, length)) if same && !found.info && found.indent >= indent => {
                pairs.push((at, start + found.indent, length.min(found.length)));
                inner = None;
            }
            None if same && found.info && found.indent > open.indent && open.mark == b'`' => {
                inner = Some((start + found.indent, found.indent, found.length));
            }
            // a bare fence less deep closes the outer block, as CommonMark
            // reads it
            _ if same && !found.info && found.indent <= 3 => {
                outer = None;
                inner = None;
            }
            _ => {}
        }
    }
    if pairs.is_empty() {
        return;
    }
    // Same length, ASCII for ASCII: offsets and UTF-8 stay as they were.
    let mut bytes = std::mem::take(text).into_bytes();
    for (open, close, length) in pairs {
        bytes[open..open + length].fill(b'~');
        bytes[close..close + length].fill(b'~');
    }
    *text = String::from_utf8(bytes).expect("backticks replaced by tildes stay UTF-8");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inner_fence_with_a_language_is_nested() {
        let mut text =
            "```\nSteps:\n   ```python\n   x = 1\n   ```\nmore\n```\n\n### Next\n".to_owned();
        let before = text.len();
        repair_nested(&mut text);
        assert_eq!(
            text,
            "```\nSteps:\n   ~~~python\n   x = 1\n   ~~~\nmore\n```\n\n### Next\n"
        );
        assert_eq!(text.len(), before);
    }

    #[test]
    fn a_fence_shown_inside_code_and_the_outer_close() {
        // the inner opener is never closed as deep as it opened: the bare
        // fence closes the outer block
        let text = "```\ncode\n   ```python\n```\n\n### Next\n";
        let mut repaired = text.to_owned();
        repair_nested(&mut repaired);
        assert_eq!(repaired, text);
    }

    #[test]
    fn fences_one_after_another_are_left_alone() {
        let text = "```python\nx = 1\n```\n\n```\ny\n```\n  ```rust\nfn f() {}\n  ```\n";
        let mut repaired = text.to_owned();
        repair_nested(&mut repaired);
        assert_eq!(repaired, text);
    }
}
