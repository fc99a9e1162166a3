//! The bundled catalog, precompiled.
//!
//! The build script loads `content/` with the content loader — every file
//! parsed, every cross-reference and evidence figure checked, scores
//! computed — and stores the result. [`load`] reads it back without
//! parsing any TOML, so `verdict compare rust go` answers in a few
//! milliseconds. `verdict check` still reads the TOML, since its job is to
//! report on the files; `verdict_content::load_embedded` does that for the
//! bundled files.

use verdict_content::Loaded;

static BUNDLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.postcard"));

/// The bundled catalog and the diagnostics its loading gave at build time.
pub fn load() -> Loaded {
    verdict_content::from_bundle(BUNDLE).expect("the bundle was written by this build")
}

#[cfg(test)]
mod tests {
    /// The precompiled catalog is the one loading the TOML gives, byte for
    /// byte once written out again: nothing is lost or changed in between.
    #[test]
    fn the_bundle_is_the_loaded_catalog() {
        let from_toml = verdict_content::load_embedded();
        let bundled = super::load();
        assert_eq!(bundled.diagnostics, from_toml.diagnostics);
        assert_eq!(
            verdict_content::to_bundle(&bundled),
            verdict_content::to_bundle(&from_toml)
        );
        assert!(bundled.catalog.topics().len() > 700);
        assert!(bundled.catalog.topic("rust").is_some());
        assert!(bundled.catalog.topic_by_alias("golang").is_some());
    }
}
