//! Running other programs: each command is echoed before it runs, and a failure names the command.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Output};

use crate::{Failure, Result};

/// A command to run, echoed as it starts.
pub struct Cmd(Command);

impl Cmd {
    pub fn new(program: impl AsRef<OsStr>) -> Self {
        Self(Command::new(program))
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.0.arg(arg);
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, args: I) -> Self {
        self.0.args(args);
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.0.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: impl AsRef<OsStr>) -> Self {
        self.0.env_remove(key);
        self
    }

    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.0.current_dir(dir);
        self
    }

    fn describe(&self) -> String {
        let mut text = self.0.get_program().to_string_lossy().into_owned();
        for arg in self.0.get_args() {
            text.push(' ');
            text.push_str(&arg.to_string_lossy());
        }
        text
    }

    /// Runs with inherited output; fails unless it exits with 0.
    pub fn status_ok(mut self) -> Result {
        let described = self.describe();
        println!("$ {described}");
        let status = self.0.status().map_err(|e| Failure(format!("cannot start `{described}`: {e}")))?;
        if status.success() { Ok(()) } else { Err(Failure(format!("`{described}` failed ({status})"))) }
    }

    /// Runs quietly and returns what it printed, or `None` if it could not start or failed.
    pub fn output_ok(mut self) -> Option<String> {
        let Output { status, stdout, .. } = self.0.output().ok()?;
        status.success().then(|| String::from_utf8_lossy(&stdout).into_owned())
    }

    /// Runs quietly, giving up after `seconds`; whether it exited with 0 in time.
    pub fn succeeds_within(mut self, seconds: u64) -> bool {
        let described = self.describe();
        println!("$ {described}   (at most {seconds} s)");
        let Ok(mut child) = self.0.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn()
        else {
            return false;
        };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return status.success(),
                Ok(None) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(std::time::Duration::from_millis(200))
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    println!("  gave up after {seconds} s");
                    return false;
                }
            }
        }
    }
}

/// The cargo that runs xtask (rustup's, or whatever `CARGO` names), in the workspace root.
pub fn cargo() -> Cmd {
    Cmd::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())).current_dir(crate::root())
}

/// A heading between the steps of a long command.
pub fn step(title: &str) {
    println!("\n==> {title}");
}
