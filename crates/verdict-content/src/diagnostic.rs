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

/// What a [`Sink`] turns offsets into lines with.
#[derive(Debug, Clone, Copy)]
enum Lines<'a> {
    /// The file's text: an offset is a byte offset into it.
    Text(&'a str),
    /// The text is gone and the caller gives lines, not offsets.
    Known,
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

    /// A sink for a file whose text is no longer held: the positions given
    /// to it are 1-based lines (found with [`Sink::line_of`] while the text
    /// was there), not byte offsets.
    pub fn at_lines(file: &'a str, out: &'a mut Vec<Diagnostic>) -> Self {
        Sink {
            file,
            lines: Lines::Known,
            out,
        }
    }

    pub fn line_of(&self, offset: usize) -> usize {
        match self.lines {
            Lines::Text(src) => {
                let end = offset.min(src.len());
                src.as_bytes()[..end]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1
            }
            Lines::Known => offset,
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
