/*!
Edits of `config.yaml` that keep the user's file: `prep optimize` writes
fitted parameters and `prep plan` writes and removes interview plans. Each
edit changes the lines of the one key it owns and leaves the rest, comments
included, as the user wrote it; the result is parsed and compared with what
the edit meant before it replaces the file.
*/

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::{Config, InterviewPlan};
use crate::files::write_atomically;

/// Comment lines prep writes above the keys it sets; a new edit replaces
/// its predecessor's note instead of piling notes up.
const NOTES: &[&str] = &["# Fitted by prep optimize", "# Planned with prep plan"];

/// Writes fitted parameters into `config.yaml`, for one deck or for all,
/// and leaves every other line as it was. `note` becomes a comment above the
/// key. The result is parsed before it replaces the file, so a config that
/// this edit cannot handle (flow-style mappings, say) is an error that says
/// what to add by hand, and the file is left alone.
pub fn save_parameters(
    home: &Path,
    deck: Option<&str>,
    parameters: &[f32],
    note: &str,
) -> Result<()> {
    let values = parameters
        .iter()
        .map(|value| format!("{value:.4}"))
        .collect::<Vec<_>>()
        .join(", ");
    let keys: Vec<&str> = match deck {
        Some(deck) => vec!["decks", deck, "parameters"],
        None => vec!["parameters"],
    };
    let value = format!("[{values}]");
    let rounded: Vec<f32> = values
        .split(", ")
        .map(|value| value.parse().unwrap_or(f32::NAN))
        .collect();
    apply(
        home,
        |old| set_flow_value(old, &keys, &value, note),
        |expected| match deck {
            Some(deck) => {
                expected
                    .decks
                    .entry(deck.to_string())
                    .or_default()
                    .parameters = Some(rounded)
            }
            None => expected.parameters = rounded,
        },
        &format!(
            "cannot add the fitted parameters to this file without rewriting it; add them yourself: {}",
            hint(&keys, &value)
        ),
    )
}

/// Writes a deck's interview plan under `plans:` as one flow mapping
/// (`aws: {date: 2026-12-12, target: 0.9}`).
pub fn save_plan(home: &Path, deck: &str, plan: &InterviewPlan, note: &str) -> Result<()> {
    let keys = ["plans", deck];
    let mut value = format!("{{date: {}, target: {}", plan.date, plan.target);
    if let Some(max_new) = plan.max_new_per_day {
        let _ = write!(value, ", max_new_per_day: {max_new}");
    }
    value.push('}');
    apply(
        home,
        |old| set_flow_value(old, &keys, &value, note),
        |expected| {
            expected.plans.insert(deck.to_string(), plan.clone());
        },
        &format!(
            "cannot add the plan to this file without rewriting it; add it yourself: {}",
            hint(&keys, &value)
        ),
    )
}

/// Removes a deck's plan (and `plans:` itself when it was the last one).
/// Returns whether there was one.
pub fn remove_plan(home: &Path, deck: &str) -> Result<bool> {
    let config = Config::load(home)?;
    if !config.plans.contains_key(deck) {
        return Ok(false);
    }
    apply(
        home,
        |old| remove_key(old, &["plans", deck]),
        |expected| {
            expected.plans.remove(deck);
        },
        &format!(
            "cannot remove the plan for {deck} from this file without rewriting it; remove `{deck}` under `plans:` yourself"
        ),
    )?;
    Ok(true)
}

/// Reads `config.yaml`, edits its text, and replaces the file only when the
/// edited text parses to what `expect` makes of the old settings. Otherwise
/// the file is left alone and the error says `problem`.
fn apply(
    home: &Path,
    edit: impl FnOnce(&str) -> String,
    expect: impl FnOnce(&mut Config),
    problem: &str,
) -> Result<()> {
    let path = Config::path(home);
    let old = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(err) => return Err(err).with_context(|| format!("cannot read {}", path.display())),
    };
    let mut expected = Config::parse(&old, &path)?;
    let new = edit(&old);
    expect(&mut expected);
    match Config::parse(&new, &path) {
        Ok(after) if after == expected => write_atomically(&path, new.as_bytes()),
        _ => bail!("{}: {problem}", path.display()),
    }
}

/// The lines to add by hand, for an error message on one line.
fn hint(keys: &[&str], value: &str) -> String {
    let mut hint = String::new();
    for (depth, key) in keys.iter().enumerate() {
        let _ = write!(hint, "{}{key}:", "  ".repeat(depth));
        if depth + 1 == keys.len() {
            let _ = write!(hint, " {value}");
        }
        hint.push_str("\\n");
    }
    hint
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_content(line: &str) -> bool {
    let trimmed = line.trim_start();
    !trimmed.is_empty() && !trimmed.starts_with('#')
}

/// Where a path of keys leads in block-mapping YAML text.
enum Place {
    /// The last key is on line `index`; its block ends before `block_end`.
    Found {
        index: usize,
        block_end: usize,
        indent: usize,
    },
    /// `keys[depth]` is missing from the mapping on lines `start..end`.
    Missing {
        depth: usize,
        start: usize,
        end: usize,
        indent: usize,
        /// The line of the parent key, when the mapping is an empty value
        /// (`decks:` alone).
        empty_parent: Option<usize>,
    },
}

fn locate(lines: &[String], keys: &[&str]) -> Place {
    // The block of the mapping we are inside: lines start..end, indent.
    let (mut start, mut end, mut indent) = (0usize, lines.len(), 0usize);
    for (depth, key) in keys.iter().enumerate() {
        let found = (start..end).find(|&index| {
            let line = &lines[index];
            is_content(line)
                && indent_of(line) == indent
                && line
                    .trim_start()
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with(':'))
        });
        let Some(index) = found else {
            return Place::Missing {
                depth,
                start,
                end,
                indent,
                empty_parent: None,
            };
        };
        // The key's block: the following lines indented deeper (or list
        // items at the same indent, which YAML allows).
        let mut block_end = index + 1;
        while block_end < end {
            let line = &lines[block_end];
            if is_content(line)
                && (indent_of(line) < indent
                    || (indent_of(line) == indent && !line.trim_start().starts_with("- ")))
            {
                break;
            }
            block_end += 1;
        }
        if depth + 1 == keys.len() {
            return Place::Found {
                index,
                block_end,
                indent,
            };
        }
        // Descend: the child mapping's indent is that of its first content
        // line.
        let child = (index + 1..block_end).find(|&i| is_content(&lines[i]));
        start = index + 1;
        end = block_end;
        match child {
            Some(child) => indent = indent_of(&lines[child]),
            None => {
                return Place::Missing {
                    depth: depth + 1,
                    start,
                    end,
                    indent: indent_of(&lines[index]) + 2,
                    empty_parent: Some(index),
                };
            }
        }
    }
    unreachable!("an empty key path is never located")
}

/// The first line of a key's lines: the key, or our note just above it.
fn with_note(lines: &[String], index: usize) -> usize {
    if index > 0
        && NOTES
            .iter()
            .any(|note| lines[index - 1].trim_start().starts_with(note))
    {
        index - 1
    } else {
        index
    }
}

/// Sets `keys` (a path of block-mapping keys) to a one-line value in YAML
/// text: replaces the value where the key exists, else adds the missing keys
/// at the end of the innermost mapping that exists.
fn set_flow_value(text: &str, keys: &[&str], value: &str, note: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    match locate(&lines, keys) {
        Place::Found {
            index,
            mut block_end,
            indent,
        } => {
            let pad = " ".repeat(indent);
            let key = keys[keys.len() - 1];
            let replacement = vec![format!("{pad}# {note}"), format!("{pad}{key}: {value}")];
            // Keep trailing blank or comment lines of the old block.
            while block_end > index + 1 && !is_content(&lines[block_end - 1]) {
                block_end -= 1;
            }
            lines.splice(with_note(&lines, index)..block_end, replacement);
        }
        Place::Missing {
            depth,
            start,
            end,
            indent,
            empty_parent,
        } => {
            // Insert the missing keys at the end of this block (after its
            // last content line), or right after an empty parent.
            let at = match empty_parent {
                Some(_) => start,
                None => (start..end)
                    .rev()
                    .find(|&i| is_content(&lines[i]))
                    .map(|i| i + 1)
                    .unwrap_or(end),
            };
            let added = render_keys(&keys[depth..], indent, value, note);
            lines.splice(at..at, added);
        }
    }
    join(lines)
}

/// Removes the last key of `keys` with its block and our note above it;
/// a parent mapping left with no keys goes too.
fn remove_key(text: &str, keys: &[&str]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for depth in (1..=keys.len()).rev() {
        let Place::Found {
            index,
            mut block_end,
            ..
        } = locate(&lines, &keys[..depth])
        else {
            break;
        };
        let is_target = depth == keys.len();
        let empty = !(index + 1..block_end).any(|i| is_content(&lines[i]));
        if !is_target && !empty {
            break;
        }
        while block_end > index + 1 && !is_content(&lines[block_end - 1]) {
            block_end -= 1;
        }
        let first = with_note(&lines, index);
        lines.drain(first..block_end);
    }
    join(lines)
}

fn render_keys(keys: &[&str], indent: usize, value: &str, note: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (depth, key) in keys.iter().enumerate() {
        let pad = " ".repeat(indent + 2 * depth);
        if depth + 1 == keys.len() {
            out.push(format!("{pad}# {note}"));
            out.push(format!("{pad}{key}: {value}"));
        } else {
            out.push(format!("{pad}{key}:"));
        }
    }
    out
}

fn join(lines: Vec<String>) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_parameters_keeps_the_users_lines() {
        let home = tempfile::tempdir().unwrap();
        let path = Config::path(home.path());
        let original =
            "# my settings\ndesired_retention: 0.85 # a bit lower\n\nparameters:\n- 0.3\n";
        // The old value is not valid (one number), so start from a valid one.
        let original = original.replace("parameters:\n- 0.3\n", "fuzz: false\n");
        std::fs::write(&path, &original).unwrap();
        let fitted: Vec<f32> = fsrs::DEFAULT_PARAMETERS.iter().map(|p| p * 1.01).collect();
        save_parameters(home.path(), None, &fitted, "Fitted by prep optimize").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("# my settings\ndesired_retention: 0.85 # a bit lower\n"),
            "{text}"
        );
        let config = Config::load(home.path()).unwrap();
        assert!(!config.fuzz);
        assert!((config.parameters[0] - fitted[0]).abs() < 1e-3);

        // Saving again replaces the value and its note, and adds a deck.
        save_parameters(
            home.path(),
            None,
            &fsrs::DEFAULT_PARAMETERS,
            "Fitted by prep optimize",
        )
        .unwrap();
        save_parameters(home.path(), Some("aws"), &fitted, "Fitted by prep optimize").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches("parameters:").count(), 2, "{text}");
        assert_eq!(
            text.matches("# Fitted by prep optimize").count(),
            2,
            "{text}"
        );
        let config = Config::load(home.path()).unwrap();
        assert_eq!(
            config.parameters_for("devops"),
            &fsrs::DEFAULT_PARAMETERS[..]
        );
        assert!((config.parameters_for("aws")[0] - fitted[0]).abs() < 1e-3);

        // A second deck goes under the same `decks:` key.
        save_parameters(
            home.path(),
            Some("devops"),
            &fitted,
            "Fitted by prep optimize",
        )
        .unwrap();
        let config = Config::load(home.path()).unwrap();
        assert!((config.parameters_for("devops")[0] - fitted[0]).abs() < 1e-3);
        assert!((config.parameters_for("aws")[0] - fitted[0]).abs() < 1e-3);
    }

    #[test]
    fn a_file_the_edit_cannot_handle_is_left_alone() {
        let home = tempfile::tempdir().unwrap();
        let path = Config::path(home.path());
        let original = "decks: {aws: {desired_retention: 0.9}}\n";
        std::fs::write(&path, original).unwrap();
        let err = save_parameters(
            home.path(),
            Some("aws"),
            &fsrs::DEFAULT_PARAMETERS,
            "Fitted by prep optimize",
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("add them yourself"), "{err:#}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    }

    #[test]
    fn plans_are_added_replaced_and_removed_without_touching_the_rest() {
        let home = tempfile::tempdir().unwrap();
        let path = Config::path(home.path());
        let original = "# mine\nnew_per_day: 5\n\ndecks:\n  aws:\n    desired_retention: 0.95\n";
        std::fs::write(&path, original).unwrap();
        let plan = |day: u32, target: f32| InterviewPlan {
            date: chrono::NaiveDate::from_ymd_opt(2026, 12, day).unwrap(),
            target,
            max_new_per_day: None,
        };
        save_plan(home.path(), "aws", &plan(12, 0.9), "Planned with prep plan").unwrap();
        save_plan(
            home.path(),
            "devops",
            &plan(14, 0.85),
            "Planned with prep plan",
        )
        .unwrap();
        save_plan(home.path(), "aws", &plan(13, 0.9), "Planned with prep plan").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(original), "{text}");
        assert_eq!(
            text.matches("# Planned with prep plan").count(),
            2,
            "{text}"
        );
        let config = Config::load(home.path()).unwrap();
        assert_eq!(config.plans["aws"], plan(13, 0.9));
        assert_eq!(config.plans["devops"], plan(14, 0.85));
        assert_eq!(config.retention_for("aws"), 0.95);

        assert!(remove_plan(home.path(), "aws").unwrap());
        assert!(!remove_plan(home.path(), "aws").unwrap());
        assert!(remove_plan(home.path(), "devops").unwrap());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    }
}
