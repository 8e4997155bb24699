//! The layers of the library: each top-level module of `src/` uses only
//! modules below it, in the one order written here, so that no two
//! modules need each other. The edges are read from the source (`crate::`
//! paths in code, comments left out); a new edge against the order fails
//! this test when it is made, not a week later.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level modules of the library, lowest first: a module may use
/// those before it, never one after it.
const ORDER: &[&str] = &[
    "stable_hash",
    "text_width",
    "messages",
    "exit",
    "suggest",
    "files",
    "markdown",
    "html",
    "editor",
    "opener",
    "config",
    "schedule",
    "format",
    "decks",
    "settings",
    "import",
    "journal",
    "store",
    "sync",
    "anki",
    "card_filter",
    "plan",
    "stats",
    "session",
    "typed_answer",
    "quiz",
    "tui",
    "commands",
];

/// Edges against the order that are known and being taken out (issue 34);
/// each must go, and this list with it. An edge listed here that the
/// source no longer has fails the test too, so the list only shrinks.
/// Empty: every module keeps to the order.
const KNOWN: &[(&str, &str)] = &[];

/// The modules of the binary, not the library's.
const BINARY: &[&str] = &["main", "lib", "cli", "complete", "man"];

fn top_module(relative: &Path) -> String {
    let first = relative.components().next().unwrap();
    let name = first.as_os_str().to_string_lossy();
    name.strip_suffix(".rs").unwrap_or(&name).to_string()
}

/// Code without its comments: block comments (`/*! … */` module docs)
/// and line comments.
fn code_of(text: &str) -> String {
    let mut code = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    code.push_str(rest);
    code.lines()
        .map(|line| match line.find("//") {
            // A `//` inside a string (a URL) cuts the line there all the
            // same, which can only hide an edge, never make one.
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn edges(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let reexports = reexports(src);
    let mut files = vec![src.to_path_buf()];
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    while let Some(path) = files.pop() {
        if path.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                files.push(entry.unwrap().path());
            }
            continue;
        }
        if path.extension().is_none_or(|ext| ext != "rs") {
            continue;
        }
        let from = top_module(path.strip_prefix(src).unwrap());
        if BINARY.contains(&from.as_str()) {
            continue;
        }
        let code = code_of(&std::fs::read_to_string(&path).unwrap());
        for (at, _) in code.match_indices("crate::") {
            for name in names_after(&code[at + "crate::".len()..]) {
                // (`crate::Settings`: a name the library re-exports stands
                // for its module)
                let to = reexports.get(&name).cloned().unwrap_or(name);
                if to != from && ORDER.contains(&to.as_str()) {
                    edges.entry(from.clone()).or_default().insert(to);
                }
            }
        }
    }
    edges
}

/// The first names of the paths after `crate::`: one, or each of a
/// `{...}` group's (`crate::{decks::Deck, Settings}`).
fn names_after(rest: &str) -> Vec<String> {
    let name = |text: &str| -> String {
        text.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let Some(group) = rest.strip_prefix('{') else {
        return vec![name(rest)];
    };
    let mut names = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (at, ch) in group.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' if depth == 0 => {
                names.push(name(&group[start..at]));
                break;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                names.push(name(&group[start..at]));
                start = at + 1;
            }
            _ => {}
        }
    }
    names
}

/// The names `lib.rs` re-exports (`pub use settings::Settings;`), each
/// with the module it comes from.
fn reexports(src: &Path) -> BTreeMap<String, String> {
    let lib = code_of(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut names = BTreeMap::new();
    for line in lib.lines() {
        let Some(path) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let module: String = path
            .chars()
            .take_while(|c| c.is_ascii_lowercase() || *c == '_')
            .collect();
        let items = match path.find('{') {
            Some(open) => path[open + 1..].split(['}', ';']).next().unwrap_or(""),
            None => path.rsplit("::").next().unwrap_or("").trim_end_matches(';'),
        };
        for item in items.split(',') {
            let item = item.trim();
            if !item.is_empty() {
                names.insert(item.to_string(), module.clone());
            }
        }
    }
    names
}

#[test]
fn every_module_uses_only_modules_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rank = |name: &str| ORDER.iter().position(|known| *known == name);
    let edges = edges(&src);
    let mut against = BTreeSet::new();
    for (from, tos) in &edges {
        let from_rank = rank(from)
            .unwrap_or_else(|| panic!("src/{from}: a new module; give it its place in ORDER"));
        for to in tos {
            if rank(to).unwrap() > from_rank {
                against.insert((from.as_str(), to.as_str()));
            }
        }
    }
    let known: BTreeSet<(&str, &str)> = KNOWN.iter().copied().collect();
    let new: Vec<_> = against.difference(&known).collect();
    assert!(
        new.is_empty(),
        "modules using modules above them (move what they use down, or the module up in ORDER): {new:?}"
    );
    let gone: Vec<_> = known.difference(&against).collect();
    assert!(
        gone.is_empty(),
        "edges listed in KNOWN that the source no longer has; take them out of the list: {gone:?}"
    );
}
