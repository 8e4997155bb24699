//! The collection's row of settings (Anki's `col` table), as JSON: the
//! decks, the note types prep writes, the options group and the
//! collection's own configuration.

use std::collections::HashSet;

use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde_json::json;

use super::{ExportDeck, NoteType, SCHEMA_VERSION, Scheduling, round};

/// Inserts the collection's row: its decks, note types and options.
pub(super) fn insert_col(
    conn: &Connection,
    decks: &[ExportDeck],
    deck_ids: &[i64],
    scheduling: &Scheduling,
) -> Result<()> {
    let now = scheduling.now;
    let clock = scheduling.clock;
    let today = clock.day(now);
    let created = clock.start(today).timestamp();
    let model_id = NoteType::Basic.id();
    let mut anki_decks = serde_json::Map::new();
    anki_decks.insert("1".into(), deck_json(1, "Default", "", now));
    for (deck, id) in decks.iter().zip(deck_ids) {
        let description = deck.title.unwrap_or("");
        anki_decks.insert(id.to_string(), deck_json(*id, deck.name, description, now));
    }
    let first_deck = deck_ids.first().copied().unwrap_or(1);
    // prep's plain note type (the collection's current one), and the
    // others where a note needs them.
    let used: HashSet<NoteType> = decks
        .iter()
        .flat_map(|deck| deck.cards.iter().map(NoteType::of))
        .collect();
    let models: serde_json::Map<String, serde_json::Value> =
        [NoteType::Basic, NoteType::Reversed, NoteType::Cloze]
            .into_iter()
            .filter(|kind| *kind == NoteType::Basic || used.contains(kind))
            .map(|kind| (kind.id().to_string(), model_json(kind, first_deck, now)))
            .collect();
    let models = serde_json::Value::Object(models);
    let total: usize = decks.iter().map(|deck| deck.cards.len()).sum();
    let conf = json!({
        "activeDecks": [1], "curDeck": 1, "newSpread": 0, "collapseTime": 1200,
        "timeLim": 0, "estTimes": true, "dueCounts": true, "curModel": model_id.to_string(),
        "nextPos": total + 1, "sortType": "noteFld", "sortBackwards": false,
        "addToCur": true, "newBury": true,
        // Anki's v2/v3 scheduler, whose learning cards have four buttons:
        // without this, Anki reads the review log with the old
        // scheduler's three and turns Good on a learning card into Easy.
        "schedVer": 2, "sched2021": true,
    });
    conn.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, ?3, 0, 0, 0, ?4, ?5, ?6, ?7, '{}')",
        params![
            created,
            now.timestamp_millis(),
            SCHEMA_VERSION,
            conf.to_string(),
            models.to_string(),
            serde_json::Value::Object(anki_decks).to_string(),
            json!({ "1": options_json(scheduling) }).to_string(),
        ],
    )?;
    Ok(())
}

/// How a card's note looks in Anki: the answer under the question, code
/// blocks and tables readable on a phone.
const CSS: &str = ".card { font-family: -apple-system, system-ui, sans-serif; font-size: 18px; text-align: left; color: black; background-color: white; }
.nightMode .card { color: #ddd; background-color: #222; }
pre { background: rgba(127,127,127,0.12); padding: 0.6em; border-radius: 4px; overflow-x: auto; }
code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; }
table { border-collapse: collapse; }
td, th { border: 1px solid #999; padding: 0.2em 0.5em; }
.cloze { font-weight: bold; color: #1a5fb4; }
.nightMode .cloze { color: #8ab4f8; }";

fn deck_json(id: i64, name: &str, description: &str, now: DateTime<Utc>) -> serde_json::Value {
    json!({
        "id": id, "name": name, "mod": now.timestamp(), "usn": -1,
        "lrnToday": [0, 0], "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0],
        "collapsed": false, "browserCollapsed": false, "desc": description, "dyn": 0, "conf": 1,
        "extendNew": 0, "extendRev": 0,
    })
}

fn model_json(kind: NoteType, deck_id: i64, now: DateTime<Utc>) -> serde_json::Value {
    let field = |name: &str, ord: usize| {
        json!({
            "name": name, "ord": ord, "sticky": false, "rtl": false,
            "font": "Arial", "size": 20, "media": [],
        })
    };
    let template = |name: &str, ord: usize, front: &str, back: &str| {
        json!({
            "name": name, "ord": ord, "qfmt": front, "afmt": back,
            "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0,
        })
    };
    let forward = template(
        "Card 1",
        0,
        "{{Front}}",
        "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}",
    );
    let (name, anki_type, fields, templates, req) = match kind {
        NoteType::Basic => (
            crate::anki::NOTE_TYPE,
            0,
            json!([field("Front", 0), field("Back", 1)]),
            json!([forward]),
            json!([[0, "any", [0]]]),
        ),
        NoteType::Reversed => (
            crate::anki::REVERSED_NOTE_TYPE,
            0,
            json!([field("Front", 0), field("Back", 1)]),
            json!([
                forward,
                template(
                    "Card 2",
                    1,
                    "{{Back}}",
                    "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}"
                )
            ]),
            json!([[0, "any", [0]], [1, "any", [1]]]),
        ),
        NoteType::Cloze => (
            crate::anki::CLOZE_NOTE_TYPE,
            1,
            json!([field("Text", 0), field("Back Extra", 1)]),
            json!([template(
                "Cloze",
                0,
                "{{cloze:Text}}",
                "{{cloze:Text}}<br>\n{{Back Extra}}"
            )]),
            json!([[0, "any", [0]]]),
        ),
    };
    json!({
        "id": kind.id(), "name": name, "type": anki_type, "mod": now.timestamp(), "usn": -1,
        "sortf": 0, "did": deck_id, "tags": [], "vers": [],
        "flds": fields,
        "tmpls": templates,
        "css": CSS,
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "latexsvg": false,
        "req": req,
    })
}

/// The options group the decks use: Anki's defaults, with prep's steps
/// and daily limits.
fn options_json(scheduling: &Scheduling) -> serde_json::Value {
    json!({
        "id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": true,
        "timer": 0, "replayq": true, "dyn": false,
        "new": {
            "delays": [1.0, 10.0], "ints": [1, 4, 0], "initialFactor": 2500,
            "order": 1, "perDay": 20, "bury": false, "separate": true,
        },
        "lapse": { "delays": [10.0], "mult": 0.0, "minInt": 1, "leechFails": 8, "leechAction": 1 },
        "rev": {
            "perDay": 200, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "bury": false,
            "hardFactor": 1.2, "fuzz": 0.05, "minSpace": 1,
        },
        "desiredRetention": round(scheduling.desired_retention),
    })
}
