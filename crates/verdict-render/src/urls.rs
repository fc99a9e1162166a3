//! Every URL the site produces comes from here, so the server, the static
//! export and the CLI agree on them.

use verdict_core::key::ComparisonKey;

/// Builds site paths, optionally prefixed with an absolute base URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Urls {
    /// `https://example.org` without a trailing slash, or empty for
    /// site-relative paths.
    base: String,
}

/// Site-relative URLs, for callers without a site (tests, tools).
static RELATIVE: Urls = Urls {
    base: String::new(),
};

impl Urls {
    /// Site-relative URLs (no base), borrowed for as long as anything.
    pub fn relative() -> &'static Urls {
        &RELATIVE
    }

    pub fn new(base: &str) -> Urls {
        Urls {
            base: base.trim_end_matches('/').to_owned(),
        }
    }

    /// The base joined with a site path.
    pub fn absolute(&self, path: &str) -> String {
        self.join(&[path])
    }

    /// The base followed by `parts`, in one allocation: pages build
    /// hundreds of links each, so this is hot.
    fn join(&self, parts: &[&str]) -> String {
        let mut out =
            String::with_capacity(self.base.len() + parts.iter().map(|p| p.len()).sum::<usize>());
        out.push_str(&self.base);
        parts.iter().for_each(|p| out.push_str(p));
        out
    }

    pub fn home(&self) -> String {
        self.absolute("/")
    }

    /// `/compare/a-vs-b[-vs-c…]`, slugs in the order given (callers pass
    /// canonical order).
    pub fn compare(&self, slugs: &[&str]) -> String {
        self.comparison(&ComparisonKey::new(slugs))
    }

    /// The comparison page, `/compare/{key}`.
    pub fn comparison(&self, key: &ComparisonKey) -> String {
        format!("{}/compare/{key}", self.base)
    }

    /// The comparison's Open Graph image, `/og/{key}.png`.
    pub fn og_image(&self, key: &ComparisonKey) -> String {
        format!("{}/og/{key}.png", self.base)
    }

    /// Where the comparison page's vote form posts, `/compare/{key}/votes`.
    pub fn comparison_votes(&self, key: &ComparisonKey) -> String {
        format!("{}/compare/{key}/votes", self.base)
    }

    /// The comparison in the API, `/api/v1/comparisons/{key}`.
    pub fn api_comparison(&self, key: &ComparisonKey) -> String {
        format!("{}/api/v1/comparisons/{key}", self.base)
    }

    /// The comparison's votes in the API, `/api/v1/comparisons/{key}/votes`.
    pub fn api_votes(&self, key: &ComparisonKey) -> String {
        format!("{}/api/v1/comparisons/{key}/votes", self.base)
    }

    pub fn topic(&self, slug: &str) -> String {
        self.join(&["/topics/", slug])
    }

    pub fn category(&self, slug: &str) -> String {
        self.join(&["/categories/", slug])
    }

    pub fn search(&self) -> String {
        self.absolute("/search")
    }
}

pub use verdict_core::key::split as split_pair;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_splits_comparison_paths() {
        let u = Urls::new("https://example.org/");
        assert_eq!(
            u.compare(&["go", "rust"]),
            "https://example.org/compare/go-vs-rust"
        );
        assert_eq!(split_pair("vim-vs-vs-code"), ["vim", "vs-code"]);
        assert_eq!(split_pair("vs-code-vs-vim"), ["vs-code", "vim"]);
        assert_eq!(split_pair("a-vs-b-vs-c"), ["a", "b", "c"]);
    }
}
