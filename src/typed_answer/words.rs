//! The word lists matching leans on (filler, generic verbs, abbreviations;
//! the stop words are the card's language's, in `language.rs`) and small
//! text helpers: numbering, parentheses, cleaning
//! a point for display.

use super::*;

/// Generic verbs and words that carry little on their own: a point's unit
/// made only of these does not count, unless nothing else is left.
pub(super) const WEAK: &str = "able add added adding adjust allow allowed allowing allows amazon appropriate apply aws \
    available certain check checking checks configure configured configuring consider \
    correct correctly different enable enabled enables enabling ensure ensures ensuring \
    establish existing follow get gets getting go goes going good got handle handled handles \
    handling help helps implement \
    investigate keep keeps leverage make makes making multiple necessary need needed needs new \
    perform place possible proper properly provide provides providing relevant review set \
    sets setup simply specific try use used uses using utilize validate verify want way ways \
    work works working";

/// Words that make a heading or list head contentless when it has nothing else.
pub(super) const FILLER: &str = "additional advantage advantages answer applicable approach approaches benefit benefits \
    case cases caution clear code common con conclusion cons consideration considerations \
    demo detail details disadvantage disadvantages example examples explanation final \
    general important interview introduction intro key main note notes optional outcome \
    outcomes output outputs overview point points practice practices pro pros purpose \
    question ready real reason reasons recap recommendation recommendations recommended \
    result results sample samples scenario scenarios simple situation situations snippet \
    solution solutions step steps summary syntax takeaway takeaways thought thoughts tip \
    tips usage warning workflow best option options illustration hear link links reference \
    references resources reading";

/// A head starting with one of these is filler.
pub(super) const LEAD_FILLER: &str = "note notes tip tips warning caution important steps benefits advantages disadvantages \
    pros cons summary recommendation recommendations conclusion overview introduction \
    outcome outcomes result results output why what example examples sample";

/// Heads with one of these mark an example or a recap: what is under them ranks low.
pub(super) const EXAMPLE_WORDS: &str = "example examples sample samples demo illustration e.g eg";
pub(super) const RECAP_LEAD: &str =
    "summary recap conclusion recommendation recommendations output outputs";

/// Plain words too common to be salient on their own.
pub(super) const GENERIC: &str = "able across along always automatically become becomes best better build built commonly \
    complete done easy entire example fast faster first full fully give gives great high \
    instead kept large last less level long low major manually means minor most near next \
    often part perfect real recent reduce reduces right say says show shows simple small \
    start support supports take tell tells time times usually value what whole write wrote \
    written year years yours within without everywhere immediately especially around however \
    another cause causes issue issues problem problems request result indicate indicates \
    proceed address find maintain manage push thank enjoyed really location tool tools step \
    purpose information based type types used";

/// Verbs that, capitalised mid-line, start a clause rather than a name.
pub(super) const VERBS: &str = "add alert allow apply automate avoid block build check configure create decide define \
    deny deploy detect enable encrypt ensure find fix grant increase install integrate keep \
    limit make manage monitor prevent protect pull push read reduce remove restart restrict \
    return reuse review rotate run scale secure send set start stop store test track trigger \
    update use validate verify write";

/// Abbreviations read as their long form, on both sides.
pub(super) const ABBREVIATIONS: &str = "acct=account admin=administrator app=application apps=applications async=asynchronous \
    auth=authentication authn=authentication authz=authorization cfg=configuration \
    config=configuration configs=configurations cred=credential creds=credentials \
    db=database dbs=databases dupe=duplicate dupes=duplicates dep=dependency deps=dependencies dev=development \
    devs=developers doc=documentation docs=documentation env=environment envs=environments \
    info=information infra=infrastructure k8s=kubernetes kube=kubernetes mgmt=management \
    msg=message ns=namespace passwd=password perm=permission perms=permissions pkg=package \
    prod=production pwd=password repo=repository repos=repositories req=request \
    reqs=requests stats=statistics svc=service sync=synchronize temp=temporary var=variable \
    vars=variables";

/// Common near-synonyms, read as one word on both sides like abbreviations:
/// plain English equivalents an answer in other words is likely to use.
pub(super) const EQUIVALENTS: &str = "quick=fast quickly=fast faster=fast fastest=fast rapid=fast \
    rapidly=fast speedy=fast slowly=slow slower=slow halt=stop halts=stop halted=stop \
    abort=stop aborts=stop aborted=stop failure=fail failures=fail link=url links=url \
    finished=completed finish=complete finishes=completes transient=temporary \
    temporarily=temporary delete=remove deletes=removes deleted=removed erase=remove \
    erases=removes rid=remove drop=remove drops=removes dropped=removed wipe=remove wipes=removes \
    wiped=removed purge=remove purges=removes execute=run executes=runs executed=run \
    executing=running execution=run ran=run kill=stop kills=stop killed=stop \
    terminate=stop terminates=stop terminated=stop recent=latest newest=latest \
    revision=version revisions=versions revert=rollback reverts=rollback reverted=rollback \
    rolledback=rollback declare=define declares=defines declared=defined \
    launch=start launches=starts launched=started boot=start boots=starts booted=started \
    replica=copy replicas=copies duplicate=copy duplicates=copies clone=copy clones=copies \
    cloned=copied record=row records=rows ram=memory translate=convert translates=converts \
    translated=converted translating=converting translation=conversion transform=convert \
    transforms=converts transformed=converted obtain=get obtains=gets obtained=got \
    acquire=get acquires=gets acquired=got gain=get gains=gets gained=got receive=get \
    receives=gets received=got permit=allow permits=allows permitted=allowed \
    generate=create generates=creates generated=created spawn=create spawns=creates \
    spawned=created begin=start begins=starts initiate=start initiates=starts \
    save=store saves=stores saved=stored persist=store persists=stores persisted=stored \
    retain=keep retains=keeps retained=kept preserve=keep preserves=keeps preserved=kept \
    transmit=send transmits=sends transmitted=sent restrict=limit restricts=limits \
    restricted=limited employ=use employs=uses";

/// The maps here hold short words of the user's own text, so a fast hash
/// beats a DoS-resistant one. Nothing hashed here is stored, so any fast
/// hash will do: foldhash's, as the catalog uses.
pub(super) type FastHash = foldhash::fast::FixedState;
pub(super) type FastSet<T> = HashSet<T, FastHash>;
pub(super) type FastMap<K, V> = HashMap<K, V, FastHash>;

/// Whether `word` is one of the space-separated words of `list`.
pub(super) fn in_list(list: &str, word: &str) -> bool {
    list.split_ascii_whitespace().any(|w| w == word)
}

pub(super) fn set_of(list: &'static str) -> FastSet<&'static str> {
    list.split_ascii_whitespace().collect()
}

/// A function word or spoken filler of the card's language: never part of
/// a point's content (see `language.rs`).
pub(super) fn is_stop(word: &str) -> bool {
    Language::current().is_stop(word)
}

pub(super) fn is_weak(word: &str) -> bool {
    static SET: OnceLock<FastSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| set_of(WEAK)).contains(word)
}

pub(super) fn is_filler_word(word: &str) -> bool {
    static SET: OnceLock<FastSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| set_of(FILLER)).contains(word)
}

pub(super) fn is_generic(word: &str) -> bool {
    static SET: OnceLock<FastSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| set_of(GENERIC)).contains(word)
}

pub(super) fn abbreviation(word: &str) -> Option<&'static str> {
    static MAP: OnceLock<FastMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| {
        ABBREVIATIONS
            .split_ascii_whitespace()
            .chain(EQUIVALENTS.split_ascii_whitespace())
            .filter_map(|pair| pair.split_once('='))
            .collect()
    })
    .get(word)
    .copied()
}

// ---------------------------------------------------------------------------
// Small text helpers

/// `text` cut to at most `max` bytes, at a character boundary.
pub(super) fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

pub(super) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Lowercase alphanumeric words, for quick list tests.
pub(super) fn plain_words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map(|w| w.trim_matches('.').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

pub(super) fn has_letter(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
}

/// Strips a leading "1.", "2)", "1.2.", "Step 3:" numbering.
pub(super) fn strip_numbering(text: &str) -> (&str, bool) {
    let mut rest = text.trim_start();
    for word in ["step ", "phase ", "stage "] {
        let opens = rest
            .get(..word.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(word));
        if opens {
            let after = &rest[word.len()..];
            if after.starts_with(|c: char| c.is_ascii_digit()) {
                rest = after;
                break;
            }
        }
    }
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 3 {
        return (text.trim(), false);
    }
    let mut after = &rest[digits..];
    // "1.2." style
    while let Some(more) = after.strip_prefix('.') {
        let next_digits = more.len() - more.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if next_digits == 0 {
            after = more;
            return finish_numbering(text, after);
        }
        after = &more[next_digits..];
    }
    if let Some(more) = after.strip_prefix([')', ':']) {
        return finish_numbering(text, more);
    }
    (text.trim(), false)
}

pub(super) fn finish_numbering<'a>(text: &'a str, after: &'a str) -> (&'a str, bool) {
    if after.is_empty() || after.starts_with(char::is_whitespace) {
        let rest = after.trim_start();
        if rest.is_empty() {
            (text.trim(), false)
        } else {
            (rest, true)
        }
    } else {
        (text.trim(), false)
    }
}

/// Words that open a parenthesis that qualifies rather than renames.
pub(super) const QUALIFIER_LEAD: &str = "e.g eg i.e ie for using with if via such like see optional recommended when where in on \
    from to by or and not only especially including excluding except which that applicable \
    etc default important required";

/// A parenthesis worth keeping as an alternative name of what precedes it:
/// short, and not a qualifier ("e.g. ...", "for ...", "Optional").
pub(super) fn is_alternative_paren(content: &str) -> bool {
    let words = plain_words(content);
    let Some(first) = words.first() else {
        return false;
    };
    if words.len() > 3
        || content.contains(',')
        || content.contains(" / ")
        || (content.contains('/') && words.len() > 1 && !content.contains(' '))
        || in_list(QUALIFIER_LEAD, first)
        || is_stop(first)
    {
        return false;
    }
    // a name: a capital in every word ("Jump Box", "SSE-S3", "IMDSv2")
    let named = content
        .split_whitespace()
        .filter(|w| has_letter(w))
        .all(|w| w.chars().any(char::is_uppercase));
    named
        && words
            .iter()
            .any(|w| !is_stop(w) && !is_filler_word(w) && !is_weak(w))
}

/// `text` as pieces outside and inside (outermost) parentheses, in order;
/// an unclosed parenthesis runs to the end.
pub(super) fn paren_pieces(text: &str) -> Vec<(String, bool)> {
    let mut pieces = Vec::new();
    let mut depth = 0usize;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' => {
                if depth == 0 {
                    pieces.push((std::mem::take(&mut current), false));
                } else {
                    current.push(c);
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    pieces.push((std::mem::take(&mut current), true));
                } else {
                    current.push(c);
                }
            }
            _ => current.push(c),
        }
    }
    pieces.push((current, depth > 0));
    pieces
}

/// `text` without the parentheses that qualify rather than rename.
pub(super) fn naming_parens_only(text: &str) -> String {
    let mut out = String::new();
    for (piece, inside) in paren_pieces(text) {
        if !inside {
            out.push_str(&piece);
        } else if is_alternative_paren(&piece) {
            out.push_str(" (");
            out.push_str(piece.trim());
            out.push_str(") ");
        }
    }
    out
}

/// Splits `text` into the text outside parentheses and the parenthesised parts.
pub(super) fn split_parens(text: &str) -> (String, Vec<String>) {
    let mut main = String::new();
    let mut parens = Vec::new();
    for (piece, inside) in paren_pieces(text) {
        if inside {
            parens.push(piece);
            main.push(' ');
        } else {
            main.push_str(&piece);
        }
    }
    (collapse_whitespace(&main), parens)
}

pub(super) const EDGE_PUNCT: &[char] = &[
    ':', '.', ',', ';', '!', '?', '*', '`', '"', '\'', '“', '”', '‘', '’', '-', '–', '—', '→',
    '\\', '|', '#', '>', '=', '+', '&',
];

/// Display text of a point: markers, numbering, qualifying parentheses and
/// edge punctuation removed.
pub(super) fn clean_display(text: &str) -> String {
    let text = collapse_whitespace(text);
    let (text, _) = strip_numbering(&text);
    let out = naming_parens_only(text);
    let mut out = collapse_whitespace(&out);
    for lead in ["simply ", "just ", "then ", "also ", "and "] {
        if out.len() > lead.len()
            && out
                .get(..lead.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(lead))
        {
            out = out[lead.len()..].to_string();
        }
    }
    let out = out
        .trim_matches(|c: char| c.is_whitespace() || EDGE_PUNCT.contains(&c))
        .to_string();
    // a lone "(" or ")" left at an edge
    let out = if out.ends_with('(') || out.starts_with(')') {
        out.trim_matches(['(', ')', ' ']).to_string()
    } else {
        out
    };
    collapse_whitespace(&out)
}

pub(super) fn is_example_like(text: &str) -> bool {
    let words = plain_words(text);
    words.iter().any(|w| in_list(EXAMPLE_WORDS, w))
        || words.first().is_some_and(|w| in_list(RECAP_LEAD, w))
}

/// A heading or list head that says nothing by itself.
pub(super) fn is_filler_head(text: &str) -> bool {
    let words = plain_words(text);
    let Some(first) = words.first() else {
        return true;
    };
    if in_list(LEAD_FILLER, first) || words.iter().any(|w| in_list(EXAMPLE_WORDS, w)) {
        return true;
    }
    let phrase = Phrase::new(text);
    phrase.units.iter().all(|u| u.weak || u.filler)
}

/// Content units of a head once filler words are set aside.
pub(super) fn residual_units(text: &str) -> usize {
    Phrase::new(&split_parens(text).0)
        .units
        .iter()
        .filter(|u| !u.weak && !u.filler)
        .count()
}

/// `markdown` up to a list of distractors: quiz notes often end an answer
/// with "Possible incorrect answers:", whose items are what the answer is
/// *not*, so they are neither points nor evidence.
pub(super) fn without_distractors(markdown: &str) -> &str {
    let mut at = 0;
    for line in markdown.split_inclusive('\n') {
        let head = line
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '#' | '*' | '_' | '>'))
            .to_lowercase();
        let head = head.strip_prefix("possible ").unwrap_or(&head);
        if head.starts_with("incorrect answer") || head.starts_with("wrong answer") {
            return &markdown[..at];
        }
        at += line.len();
    }
    markdown
}
