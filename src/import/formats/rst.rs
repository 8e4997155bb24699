//! reStructuredText (docutils.sourceforge.io/docs/ref/rst/restructuredtext)
//! rewritten into markdown line for line: section titles underlined (or
//! over- and underlined) by a line of one punctuation mark, their levels in
//! the order the styles first appear; `::` literal blocks and `code-block`
//! directives as fenced code; admonitions (`.. note::`) as their text;
//! other directives (`.. image::`, `.. toctree::`), comments, hyperlink
//! targets and substitution definitions as no content; field lists
//! (`:Name: text`) as `Name: text`; definition lists, bullet and enumerated
//! lists, block quotes (dedented, since indentation is code in markdown);
//! inline literals, roles and links.
//!
//! The blocks are read line by line in [`blocks`]; the inline markup is
//! rewritten here, for both.

mod blocks;

use super::Rewritten;
use super::inline;
use blocks::directive;

/// Whether text looks written in reStructuredText: a directive or
/// hyperlink target (`.. name::`, `.. _label:`), or a role
/// (`:ref:`x``); markdown and plain text have none.
pub fn looks_like_rst(text: &str) -> bool {
    text.lines().take(2000).any(|line| {
        let trimmed = line.trim_start();
        directive(trimmed).is_some()
            || trimmed.starts_with(".. _") && trimmed.trim_end().ends_with(':')
            || [":ref:`", ":doc:`", ":class:`", ":func:`", ":meth:`"]
                .iter()
                .any(|role| line.contains(role))
    })
}

/// `text`, a reStructuredText document, in markdown with the same lines.
pub fn to_markdown(text: &str) -> Rewritten {
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches('\r')).collect();
    blocks::rewrite(&lines)
}

/// Roles (`:ref:`text <target>``), links (`` `text <url>`_ ``), references
/// (`word_`, `[1]_`) in markdown; `**strong**`, `*emphasis*` and
/// ``` ``literals`` ``` are markdown's already.
pub fn inline_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('`') {
        // A role before the backtick: `:name:`.
        let before = &rest[..open];
        let role_start = before.strip_suffix(':').and_then(|head| {
            head.rfind(':').filter(|at| {
                head[at + 1..]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_:+.".contains(c))
                    && !head[at + 1..].is_empty()
            })
        });
        if rest[open..].starts_with("``") {
            let Some(close) = rest[open + 2..].find("``") else {
                break;
            };
            let end = open + 2 + close + 2;
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let Some(close) = rest[open + 1..].find('`') else {
            break;
        };
        let inner = &rest[open + 1..open + 1 + close];
        let mut end = open + 1 + close + 1;
        let link = rest[end..].starts_with('_');
        if link {
            end += rest[end..].bytes().take_while(|b| *b == b'_').count();
        }
        let (label, target) = match inner.rfind(" <") {
            Some(at) if inner.ends_with('>') => {
                (&inner[..at], Some(&inner[at + 2..inner.len() - 1]))
            }
            _ => (inner, None),
        };
        out.push_str(&before[..role_start.unwrap_or(before.len())]);
        match (link, target) {
            (true, Some(target)) => out.push_str(&format!("[{}]({target})", label.trim())),
            (true, None) => out.push_str(label.trim()),
            (false, _) => out.push_str(&inline::code_span(label.trim())),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    // Footnote references (`[1]_`, `[#]_`) are dropped.
    let mut cleaned = String::with_capacity(out.len());
    let mut tail = out.as_str();
    while let Some(at) = tail.find("]_") {
        match tail[..at].rfind('[') {
            Some(open)
                if tail[open + 1..at]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '#' || c == '*') =>
            {
                cleaned.push_str(tail[..open].trim_end_matches(' '));
                tail = &tail[at + 2..];
            }
            _ => {
                cleaned.push_str(&tail[..at + 2]);
                tail = &tail[at + 2..];
            }
        }
    }
    cleaned.push_str(tail);
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markdown(text: &str) -> String {
        to_markdown(text).markdown
    }

    #[test]
    fn titles_take_levels_in_the_order_their_styles_appear() {
        let rst = "=====\nNotes\n=====\n\nNetworking\n----------\n\nWhat is DNS?\n~~~~~~~~~~~~\n\nNames.\n\nStorage\n-------\n";
        let read = to_markdown(rst);
        assert_eq!(read.title.as_deref(), Some("Notes"));
        assert_eq!(
            read.markdown,
            "\n# Notes\n\n\n## Networking\n\n\n### What is DNS?\n\n\nNames.\n\n## Storage\n\n"
        );
    }

    #[test]
    fn literal_blocks_and_code_directives_are_fenced() {
        let rst = "Run this::\n\n    $ ping fe80::1\n\nThen\n\n.. code-block:: python\n   :linenos:\n\n   print(1)\n\nDone.\n";
        assert_eq!(
            markdown(rst),
            "Run this:\n```\n$ ping fe80::1\n```\nThen\n\n\n\n```python\nprint(1)\n```\nDone.\n"
        );
    }

    #[test]
    fn directives_comments_and_targets_are_no_content_but_notes_are() {
        let rst = ".. image:: a.png\n   :width: 10\n\n.. _label:\n\n.. a comment\n   more\n\n.. note:: Mind the TTL.\n\n   It is in seconds.\n";
        assert_eq!(
            markdown(rst),
            "\n\n\n\n\n\n\n\nMind the TTL.\n\nIt is in seconds.\n"
        );
    }

    #[test]
    fn fields_definitions_lists_and_quotes() {
        let rst = ":Author: me\n\nWhat is TCP?\n   A stream protocol\n   over IP.\n\n- one\n\n  more of one\n\n#. first\n\n    A quote.\n";
        assert_eq!(
            markdown(rst),
            "Author: me\n\nWhat is TCP?\n: A stream protocol\n  over IP.\n\n- one\n\n  more of one\n\n1. first\n\n   A quote.\n"
        );
    }

    #[test]
    fn roles_links_and_footnote_references() {
        assert_eq!(
            inline_text("See :ref:`the intro <intro>`, `Go <https://go.dev>`_ and ``x``.[1]_"),
            "See `the intro`, [Go](https://go.dev) and ``x``."
        );
    }

    #[test]
    fn rst_is_told_by_its_own_marks() {
        assert!(looks_like_rst(".. contents::\n"));
        assert!(looks_like_rst("See :ref:`x`.\n"));
        assert!(!looks_like_rst("Title\n=====\n\nText.\n"));
        assert!(!looks_like_rst("# T\n\n... and so on\n"));
    }
}
