//! Code in plain-text notes. A plain-text answer has no fences, yet a
//! solution written in it is code: its indentation and its `#` comment
//! lines must reach the card as they were, not as escaped, re-flowed
//! prose. This finds the runs of lines that read as code, so the answer
//! can fence them.

/// Words that open a line of code in the languages notes are written in.
const KEYWORDS: &[&str] = &[
    "def ",
    "class ",
    "for ",
    "while ",
    "if ",
    "elif ",
    "else:",
    "else ",
    "try:",
    "except",
    "finally:",
    "with ",
    "return",
    "import ",
    "from ",
    "print(",
    "print ",
    "lambda ",
    "yield ",
    "raise ",
    "assert ",
    "const ",
    "let ",
    "var ",
    "function ",
    "public ",
    "private ",
    "static ",
    "int ",
    "void ",
    "fn ",
    "pub ",
    "use ",
    "#include",
    "package ",
    "func ",
    "SELECT ",
    "select ",
    "}",
    "{",
];

/// Whether one line, on its own, reads as code.
pub fn is_code_line(line: &str) -> bool {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return false;
    }
    let has_word_space = trimmed.contains(". ") || trimmed.ends_with('.');
    KEYWORDS.iter().any(|keyword| trimmed.starts_with(keyword))
        || trimmed.starts_with("# -*-")
        || trimmed.ends_with(['{', '}', ';'])
        || (!has_word_space && is_call_or_assignment(trimmed))
}

/// `x = int(input())`, `l=[]`, `print(d)`, `d[i] = i * i`: an assignment,
/// or a line that ends in a call, with no sentence around it.
fn is_call_or_assignment(line: &str) -> bool {
    let first_word: String = line
        .chars()
        .take_while(|ch| ch.is_alphanumeric() || "_.[]".contains(*ch))
        .collect();
    let after = line[first_word.len()..].trim_start();
    // `SRE = Keep It Reliable` is a sentence with an equals sign: a value
    // of several plain words is no code.
    let value = after.trim_start_matches(['=', '+', '-', '*', '/']).trim();
    let code_value =
        !value.contains(' ') || value.contains(|ch: char| "()[]{}\"'*+-/%<>".contains(ch));
    let assignment = !first_word.is_empty()
        && code_value
        && ((after.starts_with('=') && !after.starts_with("=="))
            || ["+=", "-=", "*=", "/="]
                .iter()
                .any(|op| after.starts_with(op)));
    // `print(d)`, `console.log(x)`: a name right before the parenthesis.
    // `It has cross Browser compatibility (Firefox, …)` is prose.
    let call = line.ends_with(')')
        && line.find('(').is_some_and(|open| {
            open > 0
                && line[..open]
                    .chars()
                    .all(|ch| ch.is_alphanumeric() || "_.$:<>".contains(ch))
        });
    (assignment && !first_word.is_empty()) || (call && !first_word.is_empty() && line.len() < 120)
}

/// A line inside a run of code: code itself, or indented under it.
fn continues_code(line: &str) -> bool {
    let separator = !line.chars().any(char::is_alphanumeric);
    line.starts_with([' ', '\t'])
        || is_code_line(line)
        || (line.trim_start().starts_with('#') && !separator)
}

/// The lines of `text` split into runs, each marked as code or prose. A run
/// of code opens at a line that reads as code and is followed by another
/// (or is indented), and goes on through indented, commented, code and
/// blank lines; blank lines at its end go back to prose.
pub fn split_code(text: &str) -> Vec<(bool, Vec<&str>)> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut runs: Vec<(bool, Vec<&str>)> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let opens = is_code_line(line)
            && lines[index + 1..]
                .iter()
                .find(|line| !line.trim().is_empty())
                .is_some_and(|next| continues_code(next));
        if !opens {
            match runs.last_mut() {
                Some((false, run)) => run.push(line),
                _ => runs.push((false, vec![line])),
            }
            index += 1;
            continue;
        }
        let mut end = index + 1;
        while end < lines.len() && (lines[end].trim().is_empty() || continues_code(lines[end])) {
            end += 1;
        }
        let mut last = end;
        while last > index && lines[last - 1].trim().is_empty() {
            last -= 1;
        }
        runs.push((true, lines[index..last].to_vec()));
        if last < end {
            runs.push((false, lines[last..end].to_vec()));
        }
        index = end;
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_lines() {
        for line in [
            "l=[]",
            "for i in range(2000, 3201):",
            "print(','.join(l))",
            "# -*- coding: utf-8 -*-",
            "x = int(input())",
            "def fact(x):",
        ] {
            assert!(is_code_line(line), "{line}");
        }
        for line in [
            "Consider use range(#begin, #end) method",
            "It makes a generator.",
            "Git",
            "Cloud Bursting:",
            "Use a bastion host (a jump box).",
            "DevOps = Ship Faster",
            "It has cross Browser compatibility (Firefox, Chrome, Safari, etc.)",
        ] {
            assert!(!is_code_line(line), "{line}");
        }
    }

    #[test]
    fn runs_of_code_keep_their_lines() {
        let text = "Solution:\n# -*- coding: utf-8 -*-\ndef fact(x):\n    return 1\n\nprint(fact(3))\n\nDone.";
        let runs = split_code(text);
        assert_eq!(
            runs,
            [
                (false, vec!["Solution:"]),
                (
                    true,
                    vec![
                        "# -*- coding: utf-8 -*-",
                        "def fact(x):",
                        "    return 1",
                        "",
                        "print(fact(3))"
                    ]
                ),
                (false, vec!["", "Done."]),
            ]
        );
    }
}
