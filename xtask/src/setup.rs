//! `cargo xtask setup`: makes this machine able to build and test the project, installing only what is
//! missing and saying what it installs. The wasm32 standard library is built from the library's source of
//! Debian's `rustc-web` toolchain (`-Zbuild-std`): that works without rustup's download host and makes the
//! smaller bundle. Where there is no apt-get, rustup's prebuilt target is the fallback.

use std::path::{Path, PathBuf};

use crate::cmd::{self, Cmd};
use crate::{Failure, Result, root};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// Debian's packages for the second route: a newer rustc, the library source and the wasm linker.
const DEBIAN_RUST: &[&str] = &["rustc-web", "cargo-web", "rust-web-src", "lld-19"];
const DEBIAN_RUST_SRC: &str = "/usr/lib/rustlib/src/rust/library/std";

/// Where the wasm32 standard library comes from.
enum WasmStd {
    /// rustup's prebuilt `wasm32-unknown-unknown` target, used with the cargo that runs xtask.
    Rustup,
    /// Debian's rustc and library source, built with `-Zbuild-std` and linked by `linker`.
    Debian { linker: PathBuf },
}

/// Everything a build or test needs, found or installed.
pub struct Tools {
    wasm_std: WasmStd,
    /// `wasm-bindgen` of the exact version in Cargo.lock.
    pub wasm_bindgen: PathBuf,
    /// `wasm-bindgen-test-runner`, installed with `wasm-bindgen`.
    test_runner: PathBuf,
    /// binaryen's optimiser, when a working one is installed.
    pub wasm_opt: Option<PathBuf>,
    /// esbuild, the minifier of the bundle's JS and CSS, when installed.
    pub esbuild: Option<PathBuf>,
}

impl Tools {
    /// A cargo command for the wasm32 target, in its own target dir (`target/wasm`): the Debian route uses
    /// another rustc than the native crates, and the two must not share build artefacts.
    pub fn wasm_cargo(&self, args: &[&str]) -> Cmd {
        let base = match &self.wasm_std {
            WasmStd::Rustup => cmd::cargo(),
            WasmStd::Debian { linker } => Cmd::new("/usr/bin/cargo")
                .current_dir(root())
                .env_remove("RUSTUP_TOOLCHAIN")
                .env("RUSTC", "/usr/bin/rustc")
                .env("RUSTDOC", "/usr/bin/rustdoc")
                .env("RUSTC_BOOTSTRAP", "1")
                .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER", linker),
        };
        let cmd = base
            .args(args)
            .args(["--locked", "--target", WASM_TARGET])
            .env("CARGO_TARGET_DIR", root().join("target/wasm"))
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", &self.test_runner)
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
        match self.wasm_std {
            WasmStd::Rustup => cmd,
            WasmStd::Debian { .. } => {
                cmd.args(["-Zbuild-std=std,panic_abort", "-Zbuild-std-features=optimize_for_size"])
            }
        }
    }
}

impl Tools {
    /// The release build of the widget for the bundle. With the library source at hand (the Debian route),
    /// panics abort at once without their formatting machinery, `Debug` formatting is compiled to nothing
    /// and panic locations are left out; `erase_components` makes Leptos type-erase components and reactive
    /// closures. Together about 24 KB (brotli) off the module. The tests keep ordinary panics and `Debug`,
    /// for their messages.
    pub fn wasm_bundle_build(&self, feature: &str) -> Cmd {
        let build = ["build", "--profile", "wasm-release", "--package", "pvz-widget", "--no-default-features"];
        let cmd = self.wasm_cargo(&build).args(["--features", feature]);
        match self.wasm_std {
            WasmStd::Rustup => cmd.env("RUSTFLAGS", "--cfg erase_components"),
            WasmStd::Debian { .. } => cmd.env(
                "RUSTFLAGS",
                "--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none",
            ),
        }
    }
}

/// Finds or installs every tool; quick when all is there.
pub fn run() -> Result<Tools> {
    cmd::step("setup: checking the tools");
    let mut apt = Apt::default();
    let wasm_std = wasm_std(&mut apt)?;
    let (wasm_bindgen, test_runner) = wasm_bindgen()?;
    npm_ci(&mut apt, &root().join("widget"))?;
    npm_ci(&mut apt, &root().join("tests/browser"))?;
    let wasm_opt = wasm_opt();
    let esbuild = esbuild();
    schemathesis(&mut apt)?;
    if !(Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists()) {
        apt.install(&["chromium", "chromium-driver"])?;
    }
    if !postgres_installed() {
        apt.install(&["postgresql"])?;
    }
    println!("setup: all tools present");
    Ok(Tools { wasm_std, wasm_bindgen, test_runner, wasm_opt, esbuild })
}

/// Whether Debian's PostgreSQL server is installed (`/usr/lib/postgresql/<version>/bin`): the tests of
/// several proxies on one database start their own from it.
fn postgres_installed() -> bool {
    std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .any(|version| version.path().join("bin/initdb").exists() && version.path().join("bin/postgres").exists())
}

/// schemathesis, the property-based API tester the tests drive with the proxy's OpenAPI document, in a
/// virtual environment of its own under `target/` (pinned by `tests/api/requirements.txt`).
pub fn schemathesis_bin() -> PathBuf {
    root().join("target/venv/bin/schemathesis")
}

fn schemathesis(apt: &mut Apt) -> Result {
    let requirements = root().join("tests/api/requirements.txt");
    let wanted = std::fs::read_to_string(&requirements)?;
    let version = wanted.lines().find_map(|l| l.trim().strip_prefix("schemathesis==")).unwrap_or_default();
    let installed = Cmd::new(schemathesis_bin()).arg("--version").output_ok();
    if installed.is_some_and(|v| v.trim().ends_with(version)) {
        println!("schemathesis {version}: present");
        return Ok(());
    }
    println!("schemathesis {version}: installing into target/venv");
    let venv = root().join("target/venv");
    if !Cmd::new("python3").arg("-m").arg("venv").arg(&venv).succeeds_within(120) {
        apt.install(&["python3-venv"])?;
        Cmd::new("python3").arg("-m").arg("venv").arg(&venv).status_ok()?;
    }
    Cmd::new(venv.join("bin/pip"))
        .args(["install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&requirements)
        .status_ok()
}

/// cargo-fuzz, for `cargo xtask fuzz`.
pub fn cargo_fuzz() -> Result {
    let installed = Cmd::new("cargo").args(["fuzz", "--version"]).output_ok().is_some();
    if installed {
        return Ok(());
    }
    println!("installing cargo-fuzz");
    cmd::cargo().args(["install", "--locked", "cargo-fuzz"]).status_ok()
}

/// wrk, the load generator, and nginx, the baseline the load script compares the proxy with.
pub fn load_tools() -> Result {
    let mut apt = Apt::default();
    if find_in_path("wrk").is_none() {
        apt.install(&["wrk"])?;
    }
    if !Path::new(NGINX).exists() {
        apt.install(&["nginx-light"])?;
    }
    Ok(())
}

/// Debian's nginx binary, started by the load script with its own configuration.
pub const NGINX: &str = "/usr/sbin/nginx";

fn wasm_std(apt: &mut Apt) -> Result<WasmStd> {
    if let Some(linker) = debian_wasm_route() {
        println!("wasm32 std: built from Debian's rust-web-src, linked by {}", linker.display());
        return Ok(WasmStd::Debian { linker });
    }
    // The library's source makes the smaller bundle, so it is worth installing even beside rustup's target.
    if find_in_path("apt-get").is_some() {
        println!("wasm32 std: installing Debian's Rust with its library source (the bundle's std is built from it)");
        match apt.install(DEBIAN_RUST).map(|()| debian_wasm_route()) {
            Ok(Some(linker)) => return Ok(WasmStd::Debian { linker }),
            Ok(None) => println!("wasm32 std: /usr/bin/rustc, {DEBIAN_RUST_SRC} or wasm-ld is still missing"),
            Err(Failure(why)) => println!("wasm32 std: {why}"),
        }
    }
    println!("wasm32 std: rustup's prebuilt target (a larger bundle: panics keep their messages)");
    if rustup_has_wasm_std()
        || Cmd::new("rustup").args(["target", "add", WASM_TARGET]).succeeds_within(90) && rustup_has_wasm_std()
    {
        return Ok(WasmStd::Rustup);
    }
    Err(Failure(format!("no wasm32 std: neither Debian's {DEBIAN_RUST:?} nor `rustup target add {WASM_TARGET}`")))
}

fn rustup_has_wasm_std() -> bool {
    Cmd::new("rustc")
        .args(["--print", "sysroot"])
        .current_dir(root())
        .output_ok()
        .is_some_and(|sysroot| Path::new(sysroot.trim()).join("lib/rustlib").join(WASM_TARGET).join("lib").is_dir())
}

/// The wasm linker, when Debian's rustc and library source are installed.
fn debian_wasm_route() -> Option<PathBuf> {
    let compiler = Path::new("/usr/bin/rustc").exists() && Path::new("/usr/bin/cargo").exists();
    if !(compiler && Path::new(DEBIAN_RUST_SRC).is_dir()) {
        return None;
    }
    ["wasm-ld", "wasm-ld-19", "wasm-ld-20", "wasm-ld-18", "wasm-ld-17"].into_iter().find_map(find_in_path)
}

fn find_in_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?).map(|dir| dir.join(name)).find(|path| path.is_file())
}

/// The `wasm-bindgen` version that Cargo.lock pins: the CLI must match it exactly.
fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_string());
        }
    }
    Err(Failure("Cargo.lock does not name wasm-bindgen".into()))
}

fn wasm_bindgen() -> Result<(PathBuf, PathBuf)> {
    let version = locked_wasm_bindgen_version()?;
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .map(|home| home.join("bin"))
        .ok_or_else(|| Failure("neither CARGO_HOME nor HOME is set".into()))?;
    let binary = cargo_bin.join("wasm-bindgen");
    let runner = cargo_bin.join("wasm-bindgen-test-runner");
    let installed = Cmd::new(&binary).arg("--version").output_ok();
    if installed.as_deref().map(str::trim) == Some(format!("wasm-bindgen {version}").as_str()) && runner.exists() {
        println!("wasm-bindgen {version}: present");
        return Ok((binary, runner));
    }
    println!("wasm-bindgen {version}: installing (the CLI must match Cargo.lock; takes a few minutes)");
    // Not --locked: the registry mirror may lack a version that the CLI's own lockfile pins.
    cmd::cargo().args(["install", "wasm-bindgen-cli", "--version", &version, "--force"]).status_ok()?;
    Ok((binary, runner))
}

/// Installs a package.json's locked dependencies unless they are installed already.
fn npm_ci(apt: &mut Apt, dir: &Path) -> Result {
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if modified(&installed).is_some_and(|done| modified(&lock).is_some_and(|wanted| done >= wanted)) {
        println!("npm packages in {}: present", dir.display());
        return Ok(());
    }
    if find_in_path("npm").is_none() {
        apt.install(&["nodejs", "npm"])?;
    }
    println!("npm packages in {}: installing from package-lock.json", dir.display());
    Cmd::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(dir).status_ok()
}

/// binaryen's wasm-opt from npm; Debian's is too old for reference types and breaks the module.
fn wasm_opt() -> Option<PathBuf> {
    npm_tool("wasm-opt", "the bundle is built without it (larger wasm)")
}

/// esbuild from npm, which minifies the bundle's JS and CSS.
fn esbuild() -> Option<PathBuf> {
    npm_tool("esbuild", "the bundle's JS and CSS are served as written")
}

/// A tool that `widget/package-lock.json` pins, when it runs; `without` says what its absence costs.
fn npm_tool(name: &str, without: &str) -> Option<PathBuf> {
    let path = root().join("widget/node_modules/.bin").join(name);
    match Cmd::new(&path).arg("--version").output_ok() {
        Some(version) => {
            println!("{name}: {}", version.trim());
            Some(path)
        }
        None => {
            println!("{name}: not available; {without}");
            None
        }
    }
}

/// Debian packages, installed with one `apt-get update` per run at most.
#[derive(Default)]
struct Apt {
    updated: bool,
}

impl Apt {
    fn install(&mut self, packages: &[&str]) -> Result {
        if find_in_path("apt-get").is_none() {
            return Err(Failure(format!(
                "{packages:?} are needed and this machine has no apt-get: install them by hand"
            )));
        }
        let root_user = Cmd::new("id").arg("-u").output_ok().is_some_and(|uid| uid.trim() == "0");
        let apt_get = |args: &[&str]| {
            let base = if root_user { Cmd::new("apt-get") } else { Cmd::new("sudo").arg("apt-get") };
            base.args(args).env("DEBIAN_FRONTEND", "noninteractive")
        };
        println!("installing Debian packages {packages:?}");
        if !self.updated {
            apt_get(&["update", "-q"]).status_ok()?;
            self.updated = true;
        }
        apt_get(&["install", "-y", "-q", "--no-install-recommends"])
            .args(packages)
            .status_ok()
            .map_err(|Failure(e)| Failure(format!("cannot install {packages:?}: {e}")))
    }
}
