//! Typed reads from a span-keeping TOML table, reporting every problem
//! instead of stopping at the first one.
//!
//! serde would stop a file at its first type error; editors want the whole
//! list, with lines. So documents are parsed into `toml::de::DeTable` (which
//! keeps every key's and value's span) and read field by field here.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use verdict_core::lint::{self, Prose};

use crate::Code;
use crate::diagnostic::{Diagnostic, Sink};

pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// Parses `text` (the file at `path`) into a span-keeping table, or
/// reports each syntax error with `help` and returns `None`.
pub(crate) fn parse_toml<'i>(
    path: &str,
    text: &'i str,
    out: &mut Vec<Diagnostic>,
    help: &str,
) -> Option<DeTable<'i>> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Some(doc.into_inner());
    }
    let mut sink = Sink::new(path, text, out);
    for e in errors {
        sink.error(
            Code::TomlSyntax,
            e.span().map(|s| s.start),
            "",
            format!("invalid TOML: {}", e.message().trim()),
            help,
        );
    }
    None
}

/// A table being read, remembering which keys were asked for so the rest
/// can be reported as unknown.
pub(crate) struct Fields<'t, 'i> {
    table: &'t DeTable<'i>,
    /// Offset of the table's header, for "missing key" messages.
    at: usize,
    prefix: String,
    known: Vec<&'static str>,
}

impl<'t, 'i> Fields<'t, 'i> {
    pub fn new(table: &'t DeTable<'i>, at: usize, prefix: &str) -> Self {
        Fields {
            table,
            at,
            prefix: prefix.to_owned(),
            known: Vec::new(),
        }
    }

    pub fn key(&self, k: &str) -> String {
        if self.prefix.is_empty() {
            k.to_owned()
        } else {
            format!("{}.{k}", self.prefix)
        }
    }

    pub fn raw(&mut self, k: &'static str) -> Option<&'t Value<'i>> {
        self.known.push(k);
        self.table.get(k)
    }

    /// A string; reports a missing required key or a wrong type.
    pub fn string(
        &mut self,
        sink: &mut Sink<'_>,
        k: &'static str,
        required: bool,
    ) -> Option<(String, usize)> {
        let key = self.key(k);
        match self.raw(k) {
            None => {
                if required {
                    sink.error(
                        Code::MissingField,
                        Some(self.at),
                        &key,
                        "missing required field",
                        format!("add `{k} = \"…\"`"),
                    );
                }
                None
            }
            Some(v) => match v.get_ref() {
                DeValue::String(s) if s.trim().is_empty() => {
                    sink.error(
                        Code::EmptyField,
                        Some(v.span().start),
                        &key,
                        "is empty",
                        "write the text or remove the key",
                    );
                    None
                }
                DeValue::String(s) => Some((s.to_string(), v.span().start)),
                other => {
                    wrong_type(sink, v, &key, "a string", other);
                    None
                }
            },
        }
    }

    /// A string checked as prose of the given role.
    pub fn prose(
        &mut self,
        sink: &mut Sink<'_>,
        k: &'static str,
        role: Prose,
        required: bool,
    ) -> Option<String> {
        let (s, at) = self.string(sink, k, required)?;
        check_prose(sink, &self.key(k), at, &s, role);
        Some(s)
    }

    /// An array of strings (absent means empty).
    pub fn strings(
        &mut self,
        sink: &mut Sink<'_>,
        k: &'static str,
        required: bool,
    ) -> Vec<(String, usize)> {
        let key = self.key(k);
        match self.raw(k) {
            None => {
                if required {
                    sink.error(
                        Code::MissingField,
                        Some(self.at),
                        &key,
                        "missing required field",
                        format!("add `{k} = [\"…\"]`"),
                    );
                }
                Vec::new()
            }
            Some(v) => match v.get_ref() {
                DeValue::Array(items) => items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| match item.get_ref() {
                        DeValue::String(s) => Some((s.to_string(), item.span().start)),
                        other => {
                            wrong_type(sink, item, &format!("{key}[{i}]"), "a string", other);
                            None
                        }
                    })
                    .collect(),
                other => {
                    wrong_type(sink, v, &key, "an array of strings", other);
                    Vec::new()
                }
            },
        }
    }

    /// A list of prose strings, each checked.
    pub fn prose_list(
        &mut self,
        sink: &mut Sink<'_>,
        k: &'static str,
        role: Prose,
        required: bool,
    ) -> Vec<String> {
        let key = self.key(k);
        let items = self.strings(sink, k, required);
        if let Some(v) = self.table.get(k).filter(|_| required && items.is_empty()) {
            sink.error(
                Code::EmptyField,
                Some(v.span().start),
                &key,
                "is an empty list",
                format!("write at least one entry in `{k}`"),
            );
        }
        items
            .into_iter()
            .enumerate()
            .map(|(i, (s, at))| {
                check_prose(sink, &format!("{key}[{i}]"), at, &s, role);
                s
            })
            .collect()
    }

    /// A boolean (absent means `None`).
    pub fn bool(&mut self, sink: &mut Sink<'_>, k: &'static str) -> Option<bool> {
        let key = self.key(k);
        let v = self.raw(k)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                wrong_type(sink, v, &key, "true or false", other);
                None
            }
        }
    }

    /// A date, as a bare TOML date or a `YYYY-MM-DD` string.
    pub fn date(&mut self, sink: &mut Sink<'_>, k: &'static str, required: bool) -> Option<String> {
        let key = self.key(k);
        let v = match self.raw(k) {
            None => {
                if required {
                    sink.error(
                        Code::MissingField,
                        Some(self.at),
                        &key,
                        "missing required field",
                        format!("add `{k} = 2026-11-20` (the date someone last checked it)"),
                    );
                }
                return None;
            }
            Some(v) => v,
        };
        let text = match v.get_ref() {
            DeValue::Datetime(d) if d.date.is_some() && d.time.is_none() => d.to_string(),
            DeValue::String(s) => s.to_string(),
            other => {
                wrong_type(sink, v, &key, "a date such as 2026-11-20", other);
                return None;
            }
        };
        if is_date(&text) {
            Some(text)
        } else {
            sink.error(
                Code::BadDate,
                Some(v.span().start),
                &key,
                format!("`{text}` is not a date"),
                "write a date as YYYY-MM-DD, for example 2026-11-20",
            );
            None
        }
    }

    /// A sub-table.
    pub fn table(
        &mut self,
        sink: &mut Sink<'_>,
        k: &'static str,
        required: bool,
    ) -> Option<(&'t DeTable<'i>, usize)> {
        let key = self.key(k);
        match self.raw(k) {
            None => {
                if required {
                    sink.error(
                        Code::MissingField,
                        Some(self.at),
                        &key,
                        "missing required table",
                        format!("add a `[{key}]` table"),
                    );
                }
                None
            }
            Some(v) => match v.get_ref() {
                DeValue::Table(t) => Some((t, v.span().start)),
                other => {
                    wrong_type(sink, v, &key, "a table", other);
                    None
                }
            },
        }
    }

    /// Reports keys nobody asked for, suggesting the closest known one.
    pub fn finish(self, sink: &mut Sink<'_>) {
        for (k, _) in self.table.iter() {
            let name: &str = k.get_ref();
            if self.known.contains(&name) {
                continue;
            }
            let closest = self
                .known
                .iter()
                .map(|known| (strsim::damerau_levenshtein(known, name), *known))
                .min();
            let help = match closest {
                Some((d, known)) if d <= 3 => format!("did you mean `{known}`?"),
                _ => format!(
                    "remove it; known keys here are {}",
                    self.known
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            sink.error(
                Code::UnknownField,
                Some(k.span().start),
                &self.key(name),
                "unknown key",
                help,
            );
        }
    }
}

pub(crate) fn check_prose(sink: &mut Sink<'_>, key: &str, at: usize, text: &str, role: Prose) {
    for problem in lint::problems(text, role) {
        let (code, help) = if problem.contains("placeholder") {
            (
                Code::Placeholder,
                "write real, specific text; a reader would see this",
            )
        } else if problem.contains("cut short") {
            (
                Code::CutShort,
                "finish the sentence; write \"for example\" instead of \"e.g.\"",
            )
        } else {
            (Code::Prose, "rewrite it as described")
        };
        sink.error(code, Some(at), key, format!("text {problem}"), help);
    }
}

pub(crate) fn wrong_type(
    sink: &mut Sink<'_>,
    v: &Value<'_>,
    key: &str,
    want: &str,
    got: &DeValue<'_>,
) {
    sink.error(
        Code::WrongType,
        Some(v.span().start),
        key,
        format!("expected {want}, found {}", got.type_str()),
        format!("write {want} here"),
    );
}

pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}

/// The integer value of a TOML integer, if it fits.
pub(crate) fn as_i64(v: &DeValue<'_>) -> Option<i64> {
    v.as_integer()
        .and_then(|i| i64::from_str_radix(i.as_str(), i.radix()).ok())
}

/// The numeric value of a TOML integer or float.
pub(crate) fn as_f64(v: &DeValue<'_>) -> Option<f64> {
    as_i64(v).map(|i| i as f64).or_else(|| {
        v.as_float()
            .and_then(|f| f.as_str().replace('_', "").parse().ok())
    })
}
