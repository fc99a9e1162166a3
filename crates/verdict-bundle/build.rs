//! Loads the bundled catalog (`content/` at the workspace root) with the
//! content loader, as `verdict check` does, and writes it precompiled, so
//! programs start without parsing TOML.

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest.join("../../content");
    // Cargo re-runs this script when anything under the directory changes.
    println!("cargo:rerun-if-changed={}", root.display());
    let loaded = verdict_content::load_dir(&root, verdict_content::Options::default())
        .unwrap_or_else(|e| panic!("cannot read the bundled catalog: {e}"));
    // Content with errors still builds (what is valid of it), so that the
    // binary that reports them can be built; `verdict serve` warns of them.
    let errors = loaded.errors().count();
    if errors > 0 {
        println!(
            "cargo::warning=the bundled catalog has {errors} error(s); run `verdict check content`"
        );
    }
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("catalog.postcard");
    std::fs::write(dest, verdict_content::to_bundle(&loaded)).unwrap();
}
