//! Choosing the points: the top level of the outline first, then deeper
//! levels and bold terms, deduplicated and capped.

use super::*;

#[derive(Debug)]
pub(super) struct Candidate {
    pub(super) kind: PointKind,
    pub(super) text: String,
    pub(super) matcher: Matcher,
    /// The explanation under the point.
    pub(super) context: String,
    /// Outline depth (0 = top), plus penalties for examples, prose and code.
    pub(super) rank: usize,
    /// Examples, recaps and code: not enough on their own.
    pub(super) weak: bool,
    /// In an example or recap.
    pub(super) example: bool,
    pub(super) command: bool,
    /// Outermost enclosing node, for spreading picks across sections.
    pub(super) section: Option<usize>,
    pub(super) order: usize,
}

/// The key points of `answer_markdown` with their matchers; points made
/// only of `given` words (the question's) are left out unless nothing else
/// is found.
pub(super) fn analyse(answer_markdown: &str, given: &FastSet<String>) -> Vec<(KeyPoint, Matcher)> {
    let markdown = without_distractors(cut(answer_markdown, MAX_ANSWER_BYTES));
    let mut reader = Reader::read(markdown);
    decide_nodes(&mut reader);
    let (restating, candidates): (Vec<Candidate>, Vec<Candidate>) = candidates(&reader)
        .into_iter()
        .partition(|c| only_given(&c.text, given));
    let mut chosen = choose(candidates);

    // points that restate the question still show the answer is marked up
    let strong = chosen.iter().filter(|c| !c.weak).count()
        + restating.iter().filter(|c| !c.weak && c.rank == 0).count();
    if strong < MIN_MARKED {
        // examples give way to salient words; code spans stay
        let (keep, mut spare): (Vec<Candidate>, Vec<Candidate>) =
            chosen.into_iter().partition(|c| !c.example);
        chosen = keep;
        // the question's words are no salient points either
        let taken: HashSet<String> = chosen
            .iter()
            .flat_map(|c| c.matcher.atoms())
            .chain(given.iter().cloned())
            .collect();
        let want = SALIENT_TARGET.saturating_sub(chosen.len());
        // a few marked points: only add names, compounds and repeated words
        let min_score = if strong >= 2 { 2.0 } else { 0.0 };
        for (text, order) in salient(&reader, &taken, want, min_score) {
            let matcher = Matcher::new(&text);
            chosen.push(Candidate {
                kind: PointKind::Salient,
                text,
                matcher,
                context: String::new(),
                rank: 0,
                weak: false,
                example: false,
                command: false,
                section: None,
                order,
            });
        }
        spare.sort_by_key(|c| (c.rank, c.order));
        for candidate in spare {
            if chosen.len() >= SALIENT_TARGET {
                break;
            }
            chosen.push(candidate);
        }
    }
    if chosen.is_empty() {
        chosen = choose(restating);
    }
    chosen.sort_by_key(|c| c.order);
    if chosen.iter().any(|c| !c.context.is_empty()) {
        let spread = spread(&reader);
        // words used all over the answer ("rds", "instance") say nothing
        // about one point
        let limit = (reader.blocks.len() / 8).max(2);
        let distinctive = |stem: &str| spread.get(stem).copied().unwrap_or(0) <= limit;
        for c in &mut chosen {
            if !c.context.is_empty() {
                c.matcher.set_context(&c.context, distinctive);
            }
        }
    }
    chosen
        .into_iter()
        .map(|c| {
            (
                KeyPoint {
                    text: c.text,
                    kind: c.kind,
                },
                c.matcher,
            )
        })
        .collect()
}

/// Whether every content word of `text` is a `given` one.
pub(super) fn only_given(text: &str, given: &FastSet<String>) -> bool {
    if given.is_empty() {
        return false;
    }
    let mut any = false;
    for chunk in chunks(text) {
        for part in chunk.alts.iter().flatten() {
            let lower = part.to_lowercase();
            if lower.chars().count() < 2 || is_stop(&lower) || is_filler_word(&lower) {
                continue;
            }
            let tok = Tok::new(&lower);
            if tok.weak() || is_generic(&lower) || is_generic(&tok.canon) {
                continue;
            }
            if !given.contains(&tok.stem) {
                return false;
            }
            any = true;
        }
    }
    any
}

/// In how many blocks of the answer each stem occurs.
pub(super) fn spread(reader: &Reader) -> FastMap<String, usize> {
    let mut spread: FastMap<String, usize> = FastMap::default();
    for block in &reader.blocks {
        let stems: FastSet<String> = word_spans(&block.text)
            .into_iter()
            .flat_map(|w| w.split(['-', '_', '/']))
            .filter(|w| !w.is_empty())
            .map(|w| Tok::new(w).stem.clone())
            .collect();
        for stem in stems {
            *spread.entry(stem).or_default() += 1;
        }
    }
    spread
}

/// Heads, filler, examples and containers of the outline.
pub(super) fn decide_nodes(reader: &mut Reader) {
    let count = reader.nodes.len();
    for i in 0..count {
        let node = &reader.nodes[i];
        let (head, kind_filler) = match node.kind {
            NodeKind::Heading => {
                let head = clean_display(&node.raw);
                let empty_pseudo = node.pseudo && !node.has_content;
                (Some(head), empty_pseudo)
            }
            NodeKind::Item => {
                let head = if let Some(bold) = &node.lead_bold {
                    Some(bold.clone())
                } else if node.bold_in_first_line {
                    None
                } else {
                    derive_head(&node.raw).map(|h| clean_display(&h))
                };
                (head, false)
            }
            NodeKind::Title => (None, false),
        };
        let head = head.filter(|h| !h.is_empty() && has_letter(h));
        let source = match &head {
            Some(h) => h.clone(),
            None => node.raw.clone(),
        };
        let example = is_example_like(&source);
        let filler = kind_filler || head.as_deref().is_none_or(is_filler_head);
        let node = &mut reader.nodes[i];
        node.head = head;
        node.filler = filler;
        // an answer that opens with "Example ..." is an example throughout:
        // nothing in it ranks lower for that
        node.example = example && !(node.blocks_before == 0 && node.kind == NodeKind::Heading);
    }
    // containers: an unnumbered heading over a list of headed items, which
    // says little itself ("Key Uses of Pre-Signed URLs", "How X Works"), or a
    // title line standing alone before numbered sibling headings
    let mut headed_children = vec![0usize; count];
    for i in 0..count {
        let node = &reader.nodes[i];
        let headed = match node.kind {
            NodeKind::Heading => true,
            NodeKind::Item => node.lead_bold.is_some() || node.ordered || node.bold_in_first_line,
            NodeKind::Title => false,
        };
        if !headed {
            continue;
        }
        let mut parent = node.parent;
        // through a title line ("Steps:") to the heading above
        while let Some(p) = parent {
            headed_children[p] += 1;
            if reader.nodes[p].kind == NodeKind::Title {
                parent = reader.nodes[p].parent;
            } else {
                break;
            }
        }
    }
    for (i, &children) in headed_children.iter().enumerate() {
        let node = &reader.nodes[i];
        if node.kind != NodeKind::Heading || node.numbered || node.filler {
            continue;
        }
        let Some(head) = &node.head else {
            continue;
        };
        let says_little = residual_units(head) <= 2;
        let over_list = children >= 2 && says_little;
        let next_sibling_numbered = !node.has_content
            && reader.nodes[i + 1..]
                .iter()
                .find(|n| n.kind == NodeKind::Heading)
                .is_some_and(|n| n.level == node.level && n.numbered);
        if over_list || next_sibling_numbered {
            reader.nodes[i].container = true;
        }
    }
    // with numbered headings as the spine, a later "Common Errors" section
    // is an appendix: its items stay one level down
    reader.spine = reader
        .nodes
        .iter()
        .any(|n| n.kind == NodeKind::Heading && n.numbered && n.is_point());
}

/// Outline points enclosing `start` (itself included), whether any of them
/// is an example, and the outermost node.
pub(super) fn chain(reader: &Reader, start: Option<usize>) -> (usize, bool, Option<usize>) {
    let spine = reader.spine;
    let mut points = 0;
    let mut example = false;
    let mut top = None;
    let mut current = start;
    let mut guard = 0;
    while let Some(i) = current {
        let node = &reader.nodes[i];
        if node.is_point() || (spine && node.container && node.kind == NodeKind::Heading) {
            points += 1;
        }
        example |= node.example;
        top = Some(i);
        current = node.parent;
        guard += 1;
        if guard > 10_000 {
            break;
        }
    }
    (points, example, top)
}

pub(super) fn candidates(reader: &Reader) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (i, node) in reader.nodes.iter().enumerate() {
        if !node.is_point() {
            continue;
        }
        let Some(head) = &node.head else {
            continue;
        };
        let (depth, example, _) = chain(reader, node.parent);
        let (_, _, section) = chain(reader, Some(i));
        let kind = match node.kind {
            NodeKind::Heading => PointKind::Heading,
            _ => PointKind::ListHead,
        };
        let mut context = node.context.clone();
        if word_count(&context) <= word_count(head) + 3 && !node.child_text.is_empty() {
            context.push(' ');
            context.push_str(&node.child_text);
        }
        out.push(Candidate {
            kind,
            text: head.clone(),
            matcher: Matcher::new(head),
            context,
            rank: depth + if example { 2 } else { 0 },
            weak: example,
            example,
            command: false,
            section,
            order: node.order,
        });
    }
    for found in &reader.found {
        let text = found.text.clone();
        if found.kind != PointKind::Code && is_filler_head(&text) {
            continue;
        }
        let (depth, example, section) = chain(reader, found.owner);
        let code = found.kind == PointKind::Code;
        let rank = depth
            + 2 * usize::from(found.in_paragraph)
            + if code { 3 } else { 0 }
            + if example { 2 } else { 0 }
            + if found.command { 100 } else { 0 };
        out.push(Candidate {
            kind: found.kind,
            matcher: Matcher::new(&text),
            context: String::new(),
            text,
            rank,
            weak: example || code,
            example,
            command: found.command,
            section,
            order: found.order,
        });
    }
    out.retain(|c| !c.matcher.is_empty());
    out
}

/// Deduplicates, then keeps the whole top rank and fills from lower ranks,
/// round-robin over sections, up to [`SOFT_POINTS`].
pub(super) fn choose(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by_key(|c| (c.rank, c.order));
    let mut kept: Vec<Candidate> = Vec::new();
    let mut kept_keys: Vec<HashSet<String>> = Vec::new();
    let mut kept_texts: HashSet<String> = HashSet::new();
    for candidate in candidates {
        let text = candidate.text.to_lowercase();
        let keys = candidate.matcher.keys();
        let duplicate = kept_texts.contains(&text)
            || kept_keys.iter().any(|other| {
                *other == keys
                    || (keys.len() >= 2 && keys.is_subset(other))
                    || (other.len() >= 2 && other.is_subset(&keys))
            });
        if duplicate {
            continue;
        }
        kept_texts.insert(text);
        kept_keys.push(keys);
        kept.push(candidate);
    }
    let commands: Vec<Candidate>;
    (commands, kept) = kept.into_iter().partition(|c| c.command);
    let Some(top_rank) = kept.iter().map(|c| c.rank).min() else {
        return commands.into_iter().take(1).collect();
    };
    let (mut chosen, mut rest): (Vec<Candidate>, Vec<Candidate>) =
        kept.into_iter().partition(|c| c.rank == top_rank);
    chosen.truncate(MAX_POINTS);
    while chosen.len() < SOFT_POINTS && !rest.is_empty() {
        let rank = rest.iter().map(|c| c.rank).min().unwrap_or(0);
        let (level, others): (Vec<Candidate>, Vec<Candidate>) =
            rest.into_iter().partition(|c| c.rank == rank);
        rest = others;
        // round-robin over sections, in answer order
        let mut sections: Vec<Option<usize>> = Vec::new();
        for c in &level {
            if !sections.contains(&c.section) {
                sections.push(c.section);
            }
        }
        let mut queues: Vec<VecDeque<Candidate>> =
            sections.iter().map(|_| Default::default()).collect();
        for c in level {
            if let Some(at) = sections.iter().position(|s| *s == c.section) {
                queues[at].push_back(c);
            }
        }
        'fill: loop {
            let mut any = false;
            for queue in &mut queues {
                if chosen.len() >= SOFT_POINTS {
                    break 'fill;
                }
                if let Some(c) = queue.pop_front() {
                    chosen.push(c);
                    any = true;
                }
            }
            if !any {
                break;
            }
        }
    }
    if chosen.len() < 2 {
        chosen.extend(commands.into_iter().take(1));
    }
    chosen
}
