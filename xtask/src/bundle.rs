//! `cargo xtask build`: the widget bundle the proxy serves. The wasm is built by cargo (incremental), then
//! bound by wasm-bindgen and shrunk by wasm-opt only when it changed; the CSS and Leaflet are copied beside
//! it. Every file the loader fetches is named by a hash of its content (`widget.3f2a1b9c0d.css`), so that
//! browsers keep it for a year and a new bundle is new names; the loader, the one fixed name, is written with
//! those names. Every text file gets pre-compressed `.br` (brotli 11) and `.gz` (gzip 9) twins, and the
//! sizes are printed. The JS and CSS are minified by esbuild.

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
    "--converge",
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

/// The widget's modules, by the name the loader asks for: the checkout's picker and the order page's
/// tracking view, each the widget crate built with that feature alone, so that a page loads only its own.
const MODULES: [(&str, &str); 2] = [("pvz_widget", "picker"), ("pvz_tracking", "tracking")];

pub fn build(tools: &Tools) -> Result {
    cmd::step("build: widget bundle");
    let out = out_dir();
    std::fs::create_dir_all(out.join("leaflet/images"))?;
    let mut fetched: Vec<(String, Vec<u8>)> = Vec::new();
    for (name, feature) in MODULES {
        let (glue, wasm) = module(tools, name, feature)?;
        let glue = minified(tools, &format!("{name}.js"), &format!("{LEAFLET_IN_GLUE}\n{glue}"))?;
        fetched.push((format!("{name}.js"), glue.into_bytes()));
        fetched.push((format!("{name}_bg.wasm"), wasm));
    }
    let widget = root().join("widget");
    let leaflet = widget.join("node_modules/leaflet/dist");
    let script = std::fs::read_to_string(leaflet.join("leaflet.js"))?;
    // The other files the loader fetches, by the names it asks for them.
    fetched.extend([
        ("widget.css".into(), minified_file(tools, &widget.join("style/widget.css"))?),
        ("leaflet/leaflet.js".into(), isolated_leaflet(&script).into_bytes()),
        ("leaflet/leaflet.css".into(), minified_file(tools, &leaflet.join("leaflet.css"))?),
    ]);
    let mut names = Vec::new();
    for (name, bytes) in &fetched {
        let hashed = hashed_name(name, bytes);
        write_bytes_if_changed(&out.join(&hashed), bytes)?;
        names.push((name.as_str(), hashed));
    }
    let mut kept: Vec<&str> = names.iter().map(|(_, hashed)| hashed.as_str()).collect();
    kept.extend(["widget.js", "widget.d.ts"]);
    remove_stale(&out, &kept)?;
    let loader = std::fs::read_to_string(widget.join("loader/widget.js"))?;
    write_if_changed(&out.join("widget.js"), &minified(tools, "widget.js", &with_asset_names(&loader, &names)?)?)?;
    copy_if_changed(&widget.join("loader/widget.d.ts"), &out.join("widget.d.ts"))?;
    for image in std::fs::read_dir(leaflet.join("images"))? {
        let image = image?;
        copy_if_changed(&image.path(), &out.join("leaflet/images").join(image.file_name()))?;
    }

    let sizes = compress_all(&out)?;
    report(&out, &sizes);
    Ok(())
}

/// `text`, the JS or CSS file `name`, minified by esbuild (as it is when esbuild is missing).
fn minified(tools: &Tools, name: &str, text: &str) -> Result<String> {
    let Some(esbuild) = &tools.esbuild else { return Ok(text.to_string()) };
    let dir = root().join("target/wasm/minify");
    std::fs::create_dir_all(&dir)?;
    let (input, output) = (dir.join(name), dir.join(format!("min.{name}")));
    std::fs::write(&input, text)?;
    let outfile = format!("--outfile={}", output.display());
    Cmd::new(esbuild).arg(&input).args(["--minify", "--log-level=warning", &outfile]).status_ok()?;
    Ok(std::fs::read_to_string(&output)?)
}

/// The file at `path`, minified.
fn minified_file(tools: &Tools, path: &Path) -> Result<Vec<u8>> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file.css");
    Ok(minified(tools, name, &std::fs::read_to_string(path)?)?.into_bytes())
}

/// One module built with `feature` alone, bound by wasm-bindgen as `name` and optimised: its JS glue and its
/// wasm. Binding and optimising are skipped when the build left the module as it was.
fn module(tools: &Tools, name: &str, feature: &str) -> Result<(String, Vec<u8>)> {
    tools.wasm_bundle_build(feature).status_ok()?;
    let dir = root().join("target/wasm");
    // Cargo leaves the last build under the crate's name; the copy keeps each feature's apart.
    let built = dir.join(format!("{name}.wasm"));
    copy_if_changed(&dir.join("wasm32-unknown-unknown/wasm-release/pvz_widget.wasm"), &built)?;
    let bound = dir.join("bindgen");
    let optimised = dir.join(format!("{name}_bg.opt.wasm"));
    if is_newer(&optimised, &built) && bound.join(format!("{name}.js")).exists() {
        println!("{name}: unchanged, keeping the bound and optimised module");
    } else {
        Cmd::new(&tools.wasm_bindgen)
            .args(["--target", "web", "--no-typescript", "--remove-name-section", "--remove-producers-section"])
            .args(["--out-name", name, "--out-dir"])
            .arg(&bound)
            .arg(&built)
            .status_ok()?;
        let unoptimised = bound.join(format!("{name}_bg.wasm"));
        match &tools.wasm_opt {
            Some(wasm_opt) => {
                Cmd::new(wasm_opt).args(WASM_OPT_ARGS).arg(&unoptimised).arg("-o").arg(&optimised).status_ok()?
            }
            None => {
                std::fs::copy(&unoptimised, &optimised)?;
            }
        }
    }
    Ok((std::fs::read_to_string(bound.join(format!("{name}.js")))?, std::fs::read(&optimised)?))
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

/// `name` with a hash of `bytes` before its extension: `widget.css` as `widget.3f2a1b9c0d.css`. FNV-1a: the
/// name must change with the content, nothing more.
fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
    let hex = format!("{hash:016x}");
    match name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{}.{ext}", &hex[..10]),
        None => format!("{name}.{}", &hex[..10]),
    }
}

/// Removes what earlier builds left beside `kept` (paths inside the bundle), with their compressed twins:
/// the bundle holds this build alone. Leaflet's images keep their names.
fn remove_stale(dir: &Path, kept: &[&str]) -> Result {
    for sub in [dir.to_path_buf(), dir.join("leaflet")] {
        for entry in std::fs::read_dir(&sub)? {
            let path = entry?.path();
            if !path.is_file() {
                continue;
            }
            let relative = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().into_owned();
            let plain = relative.trim_end_matches(".gz").trim_end_matches(".br");
            if !kept.contains(&plain) {
                std::fs::remove_file(&path)?;
            }
        }
    }
    Ok(())
}

/// The loader with the bundle's hashed names in its asset table (the line `var ASSETS = /* names */ {...};`).
fn with_asset_names(loader: &str, names: &[(&str, String)]) -> Result<String> {
    const MARK: &str = "var ASSETS = /* names */ ";
    let table = names.iter().map(|(name, hashed)| format!("\"{name}\": \"{hashed}\"")).collect::<Vec<_>>().join(", ");
    let mut found = false;
    let lines: Vec<String> = loader
        .lines()
        .map(|line| match line.find(MARK) {
            Some(at) => {
                found = true;
                format!("{}{MARK}{{ {table} }};", &line[..at])
            }
            None => line.to_string(),
        })
        .collect();
    if !found {
        return Err("widget/loader/widget.js has no asset table (`var ASSETS = /* names */ {...};`)".into());
    }
    Ok(lines.join("\n") + "\n")
}

/// Writes `text` unless the file holds it already.
fn write_if_changed(to: &Path, text: &str) -> Result {
    write_bytes_if_changed(to, text.as_bytes())
}

/// Writes `bytes` unless the file holds them already, so unchanged files keep their date.
fn write_bytes_if_changed(to: &Path, bytes: &[u8]) -> Result {
    if std::fs::read(to).ok().as_deref() != Some(bytes) {
        std::fs::write(to, bytes)?;
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

/// Raw, gzip and brotli size of a bundle file, by its path inside the bundle.
struct Size {
    path: String,
    raw: u64,
    gzip: u64,
    brotli: u64,
}

/// `raw` compressed as browsers take it: gzip at its best, brotli at quality 11 with a 4 MB window.
fn compressed(raw: &[u8], ext: &str) -> Result<Vec<u8>> {
    if ext == "gz" {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(raw)?;
        return Ok(encoder.finish()?);
    }
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut std::io::Cursor::new(raw), &mut out, &params)?;
    Ok(out)
}

/// Writes `name.gz` and `name.br` beside every compressible file whose twins are missing or stale.
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
            if ext == "gz" || ext == "br" {
                continue;
            }
            let raw = std::fs::read(&path)?;
            let (mut gzip, mut brotli) = (raw.len() as u64, raw.len() as u64);
            if COMPRESSIBLE.contains(&ext) {
                let twin = |coding: &str| -> Result<u64> {
                    let twin = path.with_extension(format!("{ext}.{coding}"));
                    if !is_newer(&twin, &path) {
                        std::fs::write(&twin, compressed(&raw, coding)?)?;
                    }
                    Ok(std::fs::metadata(&twin)?.len())
                };
                gzip = twin("gz")?;
                brotli = twin("br")?;
            }
            let relative = path.strip_prefix(dir).unwrap_or(&path).display().to_string();
            sizes.push(Size { path: relative, raw: raw.len() as u64, gzip, brotli });
        }
    }
    sizes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(sizes)
}

fn report(dir: &Path, sizes: &[Size]) {
    let kb = |bytes: u64| format!("{:.1} KB", bytes as f64 / 1024.0);
    println!("bundle in {}:", dir.display());
    println!("  {:<42} {:>10} {:>10} {:>10}", "file", "raw", "gzip", "brotli");
    for size in sizes.iter().filter(|s| !s.path.starts_with("leaflet/images")) {
        println!("  {:<42} {:>10} {:>10} {:>10}", size.path, kb(size.raw), kb(size.gzip), kb(size.brotli));
    }
    // What a page loads: the TypeScript declarations are for the shop's developers, not browsers, and a
    // page loads the one module of its mode.
    let loaded = sizes.iter().filter(|s| s.path != "widget.d.ts");
    let (widget, leaflet): (Vec<&Size>, Vec<&Size>) = loaded.partition(|s| !s.path.starts_with("leaflet"));
    let total = |group: &[&Size]| {
        (group.iter().map(|s| s.raw).sum(), group.iter().map(|s| s.gzip).sum(), group.iter().map(|s| s.brotli).sum())
    };
    for (page, other) in [("checkout", "pvz_tracking"), ("order page", "pvz_widget")] {
        let files: Vec<&Size> = widget.iter().copied().filter(|s| !s.path.starts_with(other)).collect();
        let (raw, gzip, brotli) = total(&files);
        let what = format!("{page} on the wire (Leaflet excluded)");
        println!("  {what:<42} {:>10} {:>10} {:>10}", kb(raw), kb(gzip), kb(brotli));
    }
    let (raw, gzip, brotli) = total(&leaflet);
    println!("  {:<42} {:>10} {:>10} {:>10}", "Leaflet (JS, CSS, images)", kb(raw), kb(gzip), kb(brotli));
}
