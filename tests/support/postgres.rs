//! A real PostgreSQL for the tests, from Debian's packages (`cargo xtask setup` installs them): a cluster
//! initialised in a temporary folder and served on a free loopback port, stopped and removed when dropped.
//! PostgreSQL refuses to run as root, which CI runs as: then its programs run as `nobody`.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// A running PostgreSQL server with one database, `postgres`, whose user `pvz` needs no password.
pub struct Postgres {
    /// `postgres://pvz@127.0.0.1:<port>/postgres`.
    pub url: String,
    server: Child,
    /// The cluster's files and the server's log, removed with it.
    dir: TempDir,
}

/// The newest PostgreSQL's programs that Debian installed (`/usr/lib/postgresql/<version>/bin`).
fn bin_dir() -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| Some((entry.file_name().to_str()?.parse().ok()?, entry.path().join("bin"))))
        .filter(|(_, bin): &(u32, PathBuf)| bin.join("initdb").exists())
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin).expect("PostgreSQL is not installed: `cargo xtask setup` installs it")
}

/// The user the server runs as when the tests run as root.
const UNPRIVILEGED: &str = "nobody";

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// `program` run as the tests' user, or as [`UNPRIVILEGED`] when that is root (`setpriv` execs it, so that
/// the process started is the program itself, and a signal to it reaches the server).
fn command(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("setpriv");
        command.arg(format!("--reuid={UNPRIVILEGED}")).args(["--regid=nogroup", "--clear-groups", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

impl Postgres {
    /// Initialises a cluster and starts its server; returns once it takes connections.
    pub fn start() -> Self {
        let bin = bin_dir();
        let dir = tempfile::tempdir().expect("temporary directory");
        if is_root() {
            let id = Command::new("id").args(["-u", UNPRIVILEGED]).output().expect("id");
            let uid: u32 = String::from_utf8_lossy(&id.stdout).trim().parse().expect("nobody's uid");
            std::os::unix::fs::chown(dir.path(), Some(uid), None).expect("the folder given to the server's user");
        }
        let data = dir.path().join("data");
        let initdb = command(&bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", "pvz", "--auth=trust", "--no-locale", "-E", "UTF8", "--no-sync"])
            .output()
            .expect("initdb runs");
        assert!(initdb.status.success(), "initdb: {}", String::from_utf8_lossy(&initdb.stderr));
        let port = free_port();
        let log = std::fs::File::create(dir.path().join("server.log")).expect("the server's log");
        // Durability is not what these tests measure: no fsync, so that the 2-core machines stay quick.
        let server = command(&bin.join("postgres"))
            .arg("-D")
            .arg(&data)
            .args(["-p", &port.to_string(), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="])
            .args(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "max_connections=200"])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("postgres starts");
        let mut postgres = Self { url: format!("postgres://pvz@127.0.0.1:{port}/postgres"), server, dir };
        postgres.wait_ready(&bin, port);
        postgres
    }

    fn wait_ready(&mut self, bin: &Path, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready = Command::new(bin.join("pg_isready"))
                .args(["-h", "127.0.0.1", "-p", &port.to_string(), "-U", "pvz", "-d", "postgres"])
                .stdout(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return;
            }
            let exited = self.server.try_wait().ok().flatten();
            let log = || std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
            assert!(exited.is_none(), "postgres exited ({exited:?}):\n{}", log());
            assert!(Instant::now() < deadline, "postgres did not take connections within 30 s:\n{}", log());
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Postgres {
    /// An immediate shutdown (SIGQUIT): the server takes its backends down with it.
    fn drop(&mut self) {
        let quit = Command::new("kill").args(["-QUIT", &self.server.id().to_string()]).status();
        if !quit.is_ok_and(|s| s.success()) {
            let _ = self.server.kill();
        }
        let _ = self.server.wait();
    }
}
