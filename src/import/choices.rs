//! Multiple-choice questions written as task lists: the options (`- [ ]`,
//! `- [x]`) right under the question belong on the front, without their
//! boxes, since the ticked one is the answer; the back is the ticked
//! option and whatever explanation follows.

/// A task-list option: whether it is ticked, and its text.
fn option(line: &str) -> Option<(bool, &str)> {
    let item = line.trim_start().strip_prefix(['-', '*', '+'])?;
    let item = item.strip_prefix(' ')?;
    let (ticked, text) = if let Some(text) = item.strip_prefix("[ ]") {
        (false, text)
    } else if let Some(text) = item
        .strip_prefix("[x]")
        .or_else(|| item.strip_prefix("[X]"))
    {
        (true, text)
    } else {
        return None;
    };
    let text = text.trim();
    // A ticked link is a table of contents' entry, not an option.
    (!text.is_empty() && !text.contains("](#")).then_some((ticked, text))
}

/// Splits an answer that opens with options: the options for the front
/// (`- option`, one a line) and the back (the ticked options, then the
/// rest). `None` when the answer does not open with two or more options,
/// at least one of them ticked.
pub fn split_choices(answer: &str) -> Option<(String, String)> {
    let answer = answer.trim_start_matches('\n');
    // Most answers are no options: their first line says so at once.
    option(answer.lines().next().unwrap_or(""))?;
    let lines: Vec<&str> = answer.split('\n').collect();
    let count = lines
        .iter()
        .take_while(|line| option(line).is_some())
        .count();
    if count < 2 {
        return None;
    }
    let options: Vec<(bool, &str)> = lines[..count]
        .iter()
        .filter_map(|line| option(line))
        .collect();
    let ticked: Vec<&str> = options
        .iter()
        .filter(|(ticked, _)| *ticked)
        .map(|(_, text)| *text)
        .collect();
    if ticked.is_empty() {
        return None;
    }
    let front = options
        .iter()
        .map(|(_, text)| format!("- {text}"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut back = if ticked.len() == 1 {
        ticked[0].to_owned()
    } else {
        ticked
            .iter()
            .map(|text| format!("- {text}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let rest = lines[count..].join("\n");
    if !rest.trim().is_empty() {
        back.push_str("\n\n");
        back.push_str(rest.trim());
    }
    Some((front, back))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_go_to_the_front_and_the_ticked_one_to_the_back() {
        assert_eq!(
            split_choices(
                "- [ ] `\"null\"`\n- [x] `\"object\"`\n- [ ] `\"undefined\"`\n\nA historic bug."
            ),
            Some((
                "- `\"null\"`\n- `\"object\"`\n- `\"undefined\"`".to_owned(),
                "`\"object\"`\n\nA historic bug.".to_owned()
            ))
        );
        assert_eq!(split_choices("- [ ] a\n- [ ] b\n"), None);
        assert_eq!(
            split_choices("- [x] [DevOps](#devops)\n- [x] [Linux](#linux)\n"),
            None
        );
        assert_eq!(split_choices("Just prose."), None);
    }
}
