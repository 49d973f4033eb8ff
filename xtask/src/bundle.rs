//! `cargo xtask build`: the widget bundle the proxy serves. The wasm is built by cargo (incremental), then
//! bound by wasm-bindgen and shrunk by wasm-opt only when it changed; the loader, CSS and Leaflet are copied
//! beside it, every text file gets a pre-compressed `.gz` twin, and the sizes are printed.

use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::GzEncoder;

use crate::cmd::{self, Cmd};
use crate::setup::Tools;
use crate::{Result, root};

/// wasm-opt's settings; the feature flags match what Rust's wasm32 target emits (reference types etc.).
const WASM_OPT_ARGS: &[&str] = &[
    "-Oz",
    "--enable-reference-types",
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-multivalue",
];

/// Extensions worth compressing; images are compressed already.
const COMPRESSIBLE: &[&str] = &["js", "css", "wasm", "json", "svg", "html"];

pub fn out_dir() -> PathBuf {
    root().join("target/widget-bundle")
}

pub fn build(tools: &Tools) -> Result {
    cmd::step("build: widget bundle");
    tools.wasm_bundle_build().status_ok()?;
    let out = out_dir();
    std::fs::create_dir_all(out.join("leaflet/images"))?;

    let wasm = root().join("target/wasm/wasm32-unknown-unknown/wasm-release/pvz_widget.wasm");
    let bound = root().join("target/wasm/bindgen");
    let final_wasm = out.join("pvz_widget_bg.wasm");
    if is_newer(&final_wasm, &wasm) && out.join("pvz_widget.js").exists() {
        println!("wasm unchanged: keeping the bound and optimised module");
    } else {
        Cmd::new(&tools.wasm_bindgen)
            .args(["--target", "web", "--no-typescript", "--remove-name-section", "--remove-producers-section"])
            .arg("--out-dir")
            .arg(&bound)
            .arg(&wasm)
            .status_ok()?;
        match &tools.wasm_opt {
            Some(wasm_opt) => Cmd::new(wasm_opt)
                .args(WASM_OPT_ARGS)
                .arg(bound.join("pvz_widget_bg.wasm"))
                .arg("-o")
                .arg(&final_wasm)
                .status_ok()?,
            None => {
                std::fs::copy(bound.join("pvz_widget_bg.wasm"), &final_wasm)?;
            }
        }
    }
    let glue = std::fs::read_to_string(bound.join("pvz_widget.js"))?;
    write_if_changed(&out.join("pvz_widget.js"), &format!("{LEAFLET_IN_GLUE}\n{glue}"))?;

    let widget = root().join("widget");
    copy_if_changed(&widget.join("loader/widget.js"), &out.join("widget.js"))?;
    copy_if_changed(&widget.join("loader/widget.d.ts"), &out.join("widget.d.ts"))?;
    copy_if_changed(&widget.join("style/widget.css"), &out.join("widget.css"))?;
    let leaflet = widget.join("node_modules/leaflet/dist");
    let script = std::fs::read_to_string(leaflet.join("leaflet.js"))?;
    write_if_changed(&out.join("leaflet/leaflet.js"), &isolated_leaflet(&script))?;
    copy_if_changed(&leaflet.join("leaflet.css"), &out.join("leaflet/leaflet.css"))?;
    for image in std::fs::read_dir(leaflet.join("images"))? {
        let image = image?;
        copy_if_changed(&image.path(), &out.join("leaflet/images").join(image.file_name()))?;
    }

    let sizes = compress_all(&out)?;
    report(&out, &sizes);
    Ok(())
}

/// The first line of the widget's glue: the Leaflet the bindings call (`L.map`, `L.divIcon`...) is the one the
/// loader loaded for the widget, whatever `L` the page has of its own. Looked up at each call, since the glue
/// and Leaflet load side by side and either may finish first.
const LEAFLET_IN_GLUE: &str = "const L = new Proxy({}, { get: (_, name) => globalThis.PvzLeaflet[name] });";

/// Leaflet as the widget loads it, beside whatever the page has: run where `define`, `module` and `exports`
/// are undefined, so that a page's AMD loader (RequireJS, as Magento and many Bitrix templates have) never
/// sees an anonymous module, then handed over as `PvzLeaflet` with the page's own `L`, if any, put back.
fn isolated_leaflet(source: &str) -> String {
    let body: String =
        source.lines().filter(|l| !l.starts_with("//# sourceMappingURL=")).collect::<Vec<_>>().join("\n");
    format!(
        "/* Leaflet for pvz-widget: no AMD or CommonJS registration, and the page's own L left as it was. */\n\
         (function (define, module, exports) {{\n{body}\n}}).call(globalThis);\n\
         globalThis.PvzLeaflet = globalThis.L.noConflict();\n"
    )
}

/// Writes `text` unless the file holds it already.
fn write_if_changed(to: &Path, text: &str) -> Result {
    if std::fs::read(to).ok().as_deref() != Some(text.as_bytes()) {
        std::fs::write(to, text)?;
    }
    Ok(())
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Whether `path` exists and is newer than `than`.
fn is_newer(path: &Path, than: &Path) -> bool {
    matches!((modified(path), modified(than)), (Some(a), Some(b)) if a >= b)
}

/// Copies unless the destination holds the same bytes, so unchanged files keep their date (and browsers
/// their cached copy).
fn copy_if_changed(from: &Path, to: &Path) -> Result {
    let new = std::fs::read(from).map_err(|e| format!("{}: {e}", from.display()))?;
    if std::fs::read(to).ok().as_deref() != Some(new.as_slice()) {
        std::fs::write(to, new)?;
    }
    Ok(())
}

/// Raw and gzip size of a bundle file, by its path inside the bundle.
struct Size {
    path: String,
    raw: u64,
    gzip: u64,
}

/// Writes `name.gz` beside every compressible file whose `.gz` is missing or stale.
fn compress_all(dir: &Path) -> Result<Vec<Size>> {
    let mut sizes = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in std::fs::read_dir(&current)? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
            if ext == "gz" {
                continue;
            }
            let raw = std::fs::read(&path)?;
            let mut gzip = raw.len() as u64;
            if COMPRESSIBLE.contains(&ext) {
                let gz_path = path.with_extension(format!("{ext}.gz"));
                if !is_newer(&gz_path, &path) {
                    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
                    encoder.write_all(&raw)?;
                    std::fs::write(&gz_path, encoder.finish()?)?;
                }
                gzip = std::fs::metadata(&gz_path)?.len();
            }
            let relative = path.strip_prefix(dir).unwrap_or(&path).display().to_string();
            sizes.push(Size { path: relative, raw: raw.len() as u64, gzip });
        }
    }
    sizes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(sizes)
}

fn report(dir: &Path, sizes: &[Size]) {
    let kb = |bytes: u64| format!("{:.1} KB", bytes as f64 / 1024.0);
    println!("bundle in {}:", dir.display());
    println!("  {:<32} {:>10} {:>10}", "file", "raw", "gzip");
    for size in sizes.iter().filter(|s| !s.path.starts_with("leaflet/images")) {
        println!("  {:<32} {:>10} {:>10}", size.path, kb(size.raw), kb(size.gzip));
    }
    let (widget, leaflet): (Vec<&Size>, Vec<&Size>) = sizes.iter().partition(|s| !s.path.starts_with("leaflet"));
    let total = |group: &[&Size]| (group.iter().map(|s| s.raw).sum(), group.iter().map(|s| s.gzip).sum());
    let (raw, gzip) = total(&widget);
    println!("  {:<32} {:>10} {:>10}", "widget total (Leaflet excluded)", kb(raw), kb(gzip));
    let (raw, gzip) = total(&leaflet);
    println!("  {:<32} {:>10} {:>10}", "Leaflet (JS, CSS, images)", kb(raw), kb(gzip));
}
