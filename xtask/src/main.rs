//! `cargo xtask`: the project's build tool. Sets up a machine (wasm32 std, wasm-bindgen, wasm-opt, Leaflet,
//! Chromium), builds the widget bundle, runs the proxy and runs every test, so that a fresh clone needs
//! nothing but `cargo xtask run` or `cargo xtask test`.

mod bundle;
mod cmd;
mod setup;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup                 install what building and testing need (idempotent)
  build                 build the widget bundle into target/widget-bundle
  run [--listen ADDR]   set up, build and serve the demo on http://127.0.0.1:8080 (or ADDR / PVZ_LISTEN)
  test                  set up, build and run every test: native, wasm in Chromium, whole pages
  dist                  build the release proxy with the widget bundle and the pages inside: target/dist/pvz-proxy
  bench                 criterion benchmarks, the widget's timing in Chromium, Boxberry's network, load
  fuzz [SECONDS]        run each fuzz target (tests/fuzz) for SECONDS (60 by default)";

/// A failure of a step, already explained to the user.
#[derive(Debug)]
pub struct Failure(pub String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(err: E) -> Self {
        Self(err.to_string())
    }
}

pub type Result<T = ()> = std::result::Result<T, Failure>;

/// The workspace root: the parent of this crate's directory.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives inside the workspace").to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.first().map(String::as_str) {
        Some("setup") => setup::run().map(drop),
        Some("build") => setup::run().and_then(|tools| bundle::build(&tools)),
        Some("run") => run(&args[1..]),
        Some("test") => test(),
        Some("dist") => dist(),
        Some("bench") => bench(),
        Some("fuzz") => fuzz(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(Failure(USAGE.into())),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The demo's desk password, and its hash (`pvz-proxy hash-password`): set only when the environment has no
/// hash of its own.
const DEMO_DESK_PASSWORD: &str = "demo-desk-2026";
const DEMO_DESK_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$xWXhkus9XKmF7JfbhKOEOA$nOmq/rql7JP1AfrLDMPukVrLdzWWZLxjTyjUuc3IunU";

fn run(args: &[String]) -> Result {
    let listen = match args {
        [] => std::env::var("PVZ_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into()),
        [flag, addr] if flag == "--listen" => addr.clone(),
        _ => return Err(Failure(USAGE.into())),
    };
    let tools = setup::run()?;
    bundle::build(&tools)?;
    let mut proxy = cmd::cargo()
        .args(["run", "--release", "--package", "pvz-proxy", "--", "--listen", &listen])
        .env("PVZ_BUNDLE_DIR", bundle::out_dir())
        .env("PVZ_SITE_DIR", root().join("demo-site"));
    println!("\n  pvz-widget demo: open http://{listen}/ (Ctrl-C stops it)");
    if std::env::var_os("PVZ_DESK_PASSWORD_HASH").is_none() {
        proxy = proxy.env("PVZ_DESK_PASSWORD_HASH", DEMO_DESK_HASH);
        println!("  the owner's desk: http://{listen}/desk/ (password: {DEMO_DESK_PASSWORD})");
    }
    println!();
    proxy.status_ok()
}

fn test() -> Result {
    let tools = setup::run()?;
    bundle::build(&tools)?;
    cmd::step("native unit and integration tests");
    cmd::cargo().args(["test", "--locked"]).status_ok()?;
    cmd::step("the shipments suites again, each proxy on a PostgreSQL server of its own");
    cmd::cargo()
        .args(["test", "--locked", "--package", "pvz-tests", "--test", "shipments", "--test", "door"])
        .env("PVZ_TEST_POSTGRES", "1")
        .status_ok()?;
    cmd::step("widget tests in headless Chromium (wasm-bindgen-test)");
    tools.wasm_cargo(&["test", "--package", "pvz-widget"]).status_ok()?;
    cmd::step("whole-page browser tests against a started proxy");
    cmd::cargo()
        // With the bundle built in, as `cargo xtask dist` ships it; the tests that want files from disk say so.
        .args(["build", "--locked", "--package", "pvz-proxy", "--package", "pvz-tests", "--bins"])
        .args(["--features", "pvz-proxy/embed"])
        .status_ok()?;
    let screenshots = root().join("target/screenshots");
    std::fs::create_dir_all(&screenshots)?;
    browser_script("debug")
        .env("PVZ_SCREENSHOTS_DIR", &screenshots)
        .args(["--test", "--test-concurrency=1"])
        .arg(root().join("tests/browser"))
        .status_ok()
}

/// One file to install: the release proxy with the widget bundle and the demo pages built in.
fn dist() -> Result {
    let tools = setup::run()?;
    bundle::build(&tools)?;
    cmd::step("release proxy with the bundle built in");
    cmd::cargo()
        .args(["build", "--locked", "--release", "--package", "pvz-proxy", "--features", "embed"])
        .status_ok()?;
    let dist = root().join("target/dist");
    std::fs::create_dir_all(&dist)?;
    let binary = dist.join("pvz-proxy");
    std::fs::copy(root().join("target/release/pvz-proxy"), &binary)?;
    std::fs::copy(root().join("proxy/pvz.example.toml"), dist.join("pvz.example.toml"))?;
    std::fs::copy(root().join("proxy/pvz-proxy.service"), dist.join("pvz-proxy.service"))?;
    let size = std::fs::metadata(&binary)?.len();
    println!(
        "\n  {} ({:.1} MB), with pvz.example.toml and pvz-proxy.service beside it",
        binary.display(),
        size as f64 / 1e6
    );
    Ok(())
}

fn bench() -> Result {
    let tools = setup::run()?;
    bundle::build(&tools)?;
    cmd::step("proxy benchmarks (criterion): index build and map views, Boxberry's network read and indexed");
    cmd::cargo().args(["bench", "--locked", "--package", "pvz-proxy", "--bench", "network"]).status_ok()?;
    cmd::cargo().args(["bench", "--locked", "--package", "pvz-tests", "--bench", "boxberry"]).status_ok()?;
    cmd::step("widget timing in headless Chromium against a release proxy");
    cmd::cargo()
        .args(["build", "--locked", "--release", "--package", "pvz-proxy", "--package", "pvz-tests", "--bins"])
        .status_ok()?;
    browser_script("release").arg(root().join("tests/browser/timing.mjs")).status_ok()?;
    cmd::step("Boxberry's whole network in a release proxy: time to serve and memory");
    browser_script("release").arg(root().join("tests/load/boxberry.mjs")).status_ok()?;
    cmd::step("the owner's desk and the shipments list with 100,000 shipments");
    browser_script("release").arg(root().join("tests/load/desk.mjs")).status_ok()?;
    cmd::step("the shop's webhook down for ten minutes");
    browser_script("release").arg(root().join("tests/load/webhook-outage.mjs")).status_ok()?;
    cmd::step("load on the proxy (wrk)");
    setup::load_tools()?;
    browser_script("release").arg(root().join("tests/load/load.mjs")).status_ok()
}

/// `node` with what the browser tests and scripts need: the proxy binary of `profile`, the bundle, Chromium.
/// The fuzz targets of `tests/fuzz`, each for `seconds`. New inputs go to `target/fuzz-corpus/`; the small
/// seed corpus in the repository is only read.
fn fuzz(args: &[String]) -> Result {
    let seconds: u32 = match args.first() {
        None => 60,
        Some(n) => n.parse().map_err(|_| Failure(format!("fuzz: {n:?} is not a number of seconds")))?,
    };
    setup::cargo_fuzz()?;
    let dir = root().join("tests/fuzz");
    for target in [
        "query_params",
        "track_numbers",
        "cdek_office",
        "russianpost_office",
        "russianpost_soap",
        "boxberry_point",
        "times",
    ] {
        cmd::step(&format!("fuzzing {target} for {seconds} s"));
        let corpus = root().join("target/fuzz-corpus").join(target);
        std::fs::create_dir_all(&corpus)?;
        cmd::cargo()
            .args(["fuzz", "run", "--fuzz-dir"])
            .arg(&dir)
            .args(["--target-dir"])
            .arg(root().join("target/fuzz"))
            .arg(target)
            .arg(&corpus)
            .arg(dir.join("seeds").join(target))
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            // cargo-fuzz asks for nightly flags; stable takes them with this switch.
            .env("RUSTC_BOOTSTRAP", "1")
            .status_ok()?;
    }
    Ok(())
}

fn browser_script(profile: &str) -> cmd::Cmd {
    cmd::Cmd::new("node")
        .env("PVZ_PROXY_BIN", root().join("target").join(profile).join("pvz-proxy"))
        .env("PVZ_CDEK_SIM_BIN", root().join("target").join(profile).join("cdek-sim"))
        .env("PVZ_RUSSIANPOST_SIM_BIN", root().join("target").join(profile).join("russianpost-sim"))
        .env("PVZ_BOXBERRY_SIM_BIN", root().join("target").join(profile).join("boxberry-sim"))
        .env("PVZ_LEDGER_FILL_BIN", root().join("target").join(profile).join("ledger-fill"))
        .env("PVZ_BUNDLE_DIR", bundle::out_dir())
        .env("PVZ_SITE_DIR", root().join("demo-site"))
        .env("PVZ_CHROMIUM", setup::CHROMIUM)
        .env("PVZ_NGINX", setup::NGINX)
        .env("PVZ_SCHEMATHESIS", setup::schemathesis_bin())
}
