//! Helpers shared by the end-to-end tests: the binary run in a directory, and files
//! written and read with the path in every panic message.

#![allow(dead_code, reason = "each test file uses the helpers it needs")]

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

/// The `declutr` binary, run in `dir`.
pub fn declutr(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_declutr"));
    cmd.current_dir(dir);
    cmd
}

/// Writes `contents` to `path`, creating its directories.
pub fn write(path: &Path, contents: impl AsRef<[u8]>) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    fs::write(path, contents).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The text of `path`.
pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A fresh temporary directory, removed when dropped.
pub fn tempdir() -> TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}
