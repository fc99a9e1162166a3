//! Problems found in content, each pointing at a file, a line and a key,
//! with a suggested fix.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in the content. `code` is a stable identifier for tests and
/// tooling (it serialises as its text, `missing-field`); `message` is for
/// people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// Path relative to the content directory, with `/` separators.
    pub file: String,
    /// 1-based line, where the TOML parser gives a position.
    pub line: Option<usize>,
    /// The key the problem is about, dotted: `scores.performance.reason`.
    pub key: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Where the problem is, as `file:line: `key`` (the parts known).
    pub fn location(&self) -> String {
        let mut at = self.file.clone();
        if let Some(line) = self.line {
            at.push_str(&format!(":{line}"));
        }
        if let Some(key) = &self.key {
            at.push_str(&format!(": `{key}`"));
        }
        at
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{severity}[{}]: {}: {}",
            self.code,
            self.location(),
            self.message
        )?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Where each line of a file starts: enough to turn a byte offset into a
/// line number after the file's text is gone. A topic keeps one for the
/// checks that run once every topic is read, so the loader can free each
/// file's text as soon as it is parsed (a 10,000-topic catalog is 44 MB of
/// text).
#[derive(Debug, Clone, Default)]
pub(crate) struct LineTable(Vec<u32>);

impl LineTable {
    pub fn new(text: &str) -> LineTable {
        LineTable(
            memchr::memchr_iter(b'\n', text.as_bytes())
                .map(|at| u32::try_from(at).unwrap_or(u32::MAX))
                .collect(),
        )
    }

    /// The 1-based line of byte `offset`: one more than the line breaks
    /// before it.
    pub fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&nl| (nl as usize) < offset) + 1
    }
}

/// What a [`Sink`] turns offsets into lines with.
#[derive(Debug, Clone, Copy)]
enum Lines<'a> {
    Text(&'a str),
    Table(&'a LineTable),
}

/// Collects diagnostics for one file, turning byte offsets into lines.
#[derive(Debug)]
pub(crate) struct Sink<'a> {
    pub file: &'a str,
    lines: Lines<'a>,
    pub out: &'a mut Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    pub fn new(file: &'a str, src: &'a str, out: &'a mut Vec<Diagnostic>) -> Self {
        Sink {
            file,
            lines: Lines::Text(src),
            out,
        }
    }

    /// A sink for a file whose text is no longer held, only its lines.
    pub fn with_table(file: &'a str, table: &'a LineTable, out: &'a mut Vec<Diagnostic>) -> Self {
        Sink {
            file,
            lines: Lines::Table(table),
            out,
        }
    }

    pub fn line_of(&self, offset: usize) -> usize {
        match self.lines {
            Lines::Text(src) => {
                let end = offset.min(src.len());
                memchr::memchr_iter(b'\n', &src.as_bytes()[..end]).count() + 1
            }
            Lines::Table(table) => table.line_of(offset),
        }
    }

    pub fn push(
        &mut self,
        severity: Severity,
        code: Code,
        offset: Option<usize>,
        key: Option<&str>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let line = offset.map(|o| self.line_of(o));
        self.out.push(Diagnostic {
            severity,
            code,
            file: self.file.to_owned(),
            line,
            key: key.map(str::to_owned),
            message: message.into(),
            help,
        });
    }

    pub fn error(
        &mut self,
        code: Code,
        offset: Option<usize>,
        key: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(
            Severity::Error,
            code,
            offset,
            (!key.is_empty()).then_some(key),
            message,
            Some(help.into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line table gives the line counting the text would, at every
    /// offset, including past the end and on the line breaks themselves.
    #[test]
    fn a_line_table_counts_lines_as_the_text_does() {
        let text = "a = 1\n\n[b]\nc = \"x\"\nlast";
        let table = LineTable::new(text);
        let mut out = Vec::new();
        let sink = Sink::new("f.toml", text, &mut out);
        let by_text: Vec<usize> = (0..text.len() + 3).map(|o| sink.line_of(o)).collect();
        let by_table: Vec<usize> = (0..text.len() + 3).map(|o| table.line_of(o)).collect();
        assert_eq!(by_table, by_text);
        assert_eq!(table.line_of(text.find("[b]").unwrap()), 3);
        assert_eq!(table.line_of(text.len()), 5);
    }
}
