//! Atomic output: every file declutr writes goes to a temporary file beside its final
//! name and is renamed into place, so a reader never sees half a file.
//!
//! The temporary files (`.NAME.declutr-PID.tmp`) being written are registered, so that an
//! interrupted run removes them ([`remove_partial_outputs`]), and locked while written, so
//! that `--resume` tells a killed run's leftovers from a live run's
//! ([`remove_stale_temporaries`]). [`Output`] is one stream of output: stdout, or a file
//! written so.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use fs4::FileExt;
use fs4::TryLockError;

use crate::io::out_path::{Dir, OutputRoot};

/// The suffix of the temporary files outputs are written to first: `.NAME.declutr-PID.tmp`.
const TEMPORARY_SUFFIX: &str = ".tmp";

/// The temporary file beside `path` that its contents are written to first.
#[cfg(test)]
fn temporary_name(path: &Path) -> PathBuf {
    path.with_file_name(temporary_file_name(path.file_name().unwrap_or_default()))
}

/// The name of the temporary file the file `name` is written to first.
fn temporary_file_name(name: &OsStr) -> OsString {
    OsString::from(format!(
        ".{}.declutr-{}{TEMPORARY_SUFFIX}",
        name.to_string_lossy(),
        std::process::id()
    ))
}

/// Whether a file name is one of [`temporary_name`]'s, of this process or another.
fn is_temporary_name(name: &str) -> bool {
    let Some(stem) = name
        .strip_prefix('.')
        .and_then(|n| n.strip_suffix(TEMPORARY_SUFFIX))
    else {
        return false;
    };
    stem.rsplit_once(".declutr-").is_some_and(|(output, pid)| {
        !output.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The temporary files this process is writing, so that an interrupted run can remove
/// them ([`remove_partial_outputs`]).
static LIVE_TEMPORARIES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live_temporaries() -> MutexGuard<'static, Vec<PathBuf>> {
    LIVE_TEMPORARIES
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// Creates the temporary file `tmp` in `dir`, registered as live while the registry is
/// locked, so that [`remove_partial_outputs`] sees every temporary file that exists.
///
/// The file is locked (an advisory lock, released when the file is closed or its process
/// ends) for as long as it is written: that is how another run's `--resume` tells a live
/// run's temporary file from one a killed run left ([`remove_stale_temporaries`]). Where
/// the file system cannot lock, the file is written unlocked and no run removes it.
fn create_temporary(dir: &Dir, tmp: &OsStr) -> io::Result<fs::File> {
    let mut live = live_temporaries();
    // Created anew, never opened through a link of that name: a leftover file or link
    // named so is removed first (the link itself, not what it points to).
    let mut attempts = 0;
    let file = loop {
        attempts += 1;
        let file = match dir.create_new(tmp) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                dir.remove_file(tmp)?;
                dir.create_new(tmp)?
            }
            other => other?,
        };
        match FileExt::try_lock(&file) {
            // Locked, and still there: no other run removes it from now on.
            Ok(()) if dir.has(tmp) => break file,
            Err(TryLockError::Error(_)) => break file,
            // Another run's `--resume` took it for stale between its creation and its
            // lock, and removes it: create it anew.
            _ if attempts < 3 => continue,
            _ => break file,
        }
    };
    live.push(dir.path().join(tmp));
    Ok(file)
}

/// Forgets a temporary file that was renamed into place or removed.
fn forget_temporary(tmp: &Path) {
    let mut live = live_temporaries();
    if let Some(i) = live.iter().position(|p| p == tmp) {
        live.swap_remove(i);
    }
}

/// For an interrupted run (Ctrl-C, a termination signal): removes the temporary files
/// being written, then calls `then` (which exits the process) while no new one can be
/// created, so that no partial output is left behind. Outputs already renamed into place
/// are complete; a later `--resume` run skips them.
pub(crate) fn remove_partial_outputs<R>(then: impl FnOnce() -> R) -> R {
    let live = live_temporaries();
    for tmp in live.iter() {
        let _ = fs::remove_file(tmp);
    }
    then()
}

/// Writes `contents` to the file `name` in `dir` through a temporary file made in `dir`,
/// renamed into place in `dir`: the one atomic write of every output. With `dir` opened
/// by [`OutputRoot::prepare`], a directory swapped for a link meanwhile is not written
/// through ([`crate::io::out_path`]).
pub(crate) fn write_atomic_in(dir: &Dir, name: &OsStr, contents: &[u8]) -> io::Result<()> {
    use io::Write as _;
    let tmp = temporary_file_name(name);
    // A failed write (a full disk) or rename leaves no temporary file behind.
    // The file (and so its lock) stays open until it is renamed into place.
    let result = create_temporary(dir, &tmp)
        .and_then(|mut file| {
            file.write_all(contents)?;
            dir.rename(&tmp, name)
        })
        .inspect_err(|_| {
            let _ = dir.remove_file(&tmp);
        });
    forget_temporary(&dir.path().join(&tmp));
    result
}

/// Removes the temporary files (`.NAME.declutr-PID.tmp`) that a killed run left in the
/// directories of `outputs` under `root`; returns how many were removed. A run stopped by
/// Ctrl-C or a termination signal removes its own; one killed outright cannot.
///
/// A temporary file is removed only when it is stale: when its lock can be taken, its
/// writer is gone (a file is locked while it is written). One still locked is another live
/// run's, writing into the same directory, and is left alone, as is one whose lock cannot
/// be tested. Only regular files directly in real directories under `root` are looked at:
/// a directory reached through a symbolic link ([`OutputRoot::is_real_dir`]) is not read,
/// since what it holds lies outside the output.
pub(crate) fn remove_stale_temporaries<'a>(
    root: &OutputRoot,
    outputs: impl IntoIterator<Item = &'a Path>,
) -> usize {
    let dirs: std::collections::BTreeSet<&Path> =
        outputs.into_iter().filter_map(Path::parent).collect();
    let mut removed = 0;
    for dir in dirs {
        let Some(dir) = root.open_dir(dir) else {
            continue;
        };
        let Ok(names) = dir.names() else {
            continue;
        };
        for name in names {
            if name.to_str().is_some_and(is_temporary_name) && remove_if_stale(&dir, &name) {
                removed += 1;
            }
        }
    }
    removed
}

/// Removes the temporary file `tmp` in `dir` if no process holds its lock, holding the
/// lock while it removes it (a writer that created it meanwhile sees that, and creates it
/// anew). It is opened without following a link, and removed only if it is still the
/// regular file that was locked.
fn remove_if_stale(dir: &Dir, tmp: &OsStr) -> bool {
    let Ok(file) = dir.open_read(tmp) else {
        return false;
    };
    match FileExt::try_lock(&file) {
        Ok(()) if dir.holds(tmp, &file) => dir.remove_file(tmp).is_ok(),
        Ok(()) => false,
        // Locked: a live run's. Or locks do not work here: nothing proves it stale.
        Err(_) => false,
    }
}

/// A file written through a temporary file beside it, renamed into place by
/// [`AtomicFile::commit`]; dropped without a commit, the temporary file is removed and the
/// path is left as it was.
#[derive(Debug)]
pub(crate) struct AtomicFile {
    dir: Dir,
    name: OsString,
    tmp: OsString,
    file: Option<io::BufWriter<fs::File>>,
}

impl AtomicFile {
    /// Starts writing `path` (its parent directories are created, and followed if links:
    /// `path` is the user's `-o FILE`).
    pub(crate) fn create(path: &Path) -> io::Result<Self> {
        let dir = path.parent().unwrap_or(Path::new(""));
        if !dir.as_os_str().is_empty() {
            fs::create_dir_all(dir)?;
        }
        let name = path
            .file_name()
            .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        AtomicFile::create_in(Dir::open(dir)?, name)
    }

    /// Starts writing the file `name` in `dir`.
    pub(crate) fn create_in(dir: Dir, name: &OsStr) -> io::Result<Self> {
        let tmp = temporary_file_name(name);
        let file = create_temporary(&dir, &tmp)?;
        Ok(AtomicFile {
            dir,
            name: name.to_os_string(),
            tmp,
            file: Some(io::BufWriter::new(file)),
        })
    }

    /// The temporary file's path, as registered.
    fn tmp_path(&self) -> PathBuf {
        self.dir.path().join(&self.tmp)
    }

    /// Flushes the contents and renames the file into place.
    pub(crate) fn commit(mut self) -> io::Result<()> {
        if let Some(file) = self.file.take() {
            let flushed = file.into_inner().map_err(io::IntoInnerError::into_error);
            // The file (and so its lock) stays open until it is renamed into place.
            let result = flushed.and_then(|file| {
                let renamed = self.dir.rename(&self.tmp, &self.name);
                drop(file);
                renamed
            });
            if result.is_err() {
                let _ = self.dir.remove_file(&self.tmp);
            }
            forget_temporary(&self.tmp_path());
            return result;
        }
        Ok(())
    }
}

impl io::Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = self.dir.remove_file(&self.tmp);
            forget_temporary(&self.tmp_path());
        }
    }
}

/// Where one stream of output goes: stdout, or a file written through [`AtomicFile`].
#[derive(Debug)]
pub(crate) enum Output {
    /// Standard output, buffered.
    Stdout(io::BufWriter<io::Stdout>),
    /// A file, renamed into place by [`Output::finish`].
    File(AtomicFile),
}

impl Output {
    /// Stdout when `path` is `None`, else the file at `path`.
    pub(crate) fn open(path: Option<&Path>) -> io::Result<Self> {
        match path {
            None => Ok(Output::Stdout(io::BufWriter::new(io::stdout()))),
            Some(p) => AtomicFile::create(p).map(Output::File),
        }
    }

    /// Flushes stdout, or commits the file.
    pub(crate) fn finish(self) -> io::Result<()> {
        match self {
            Output::Stdout(mut w) => io::Write::flush(&mut w),
            Output::File(f) => f.commit(),
        }
    }
}

impl io::Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Output::Stdout(w) => w.write(buf),
            Output::File(f) => f.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Output::Stdout(w) => w.flush(),
            Output::File(f) => f.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_atomic_file_appears_only_when_committed() {
        use std::io::Write as _;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("sub/out.jsonl");
        let mut f = AtomicFile::create(&path).unwrap_or_else(|e| panic!("{e}"));
        f.write_all(b"{}\n").unwrap_or_else(|e| panic!("{e}"));
        drop(f);
        assert!(!path.exists());
        assert_eq!(
            fs::read_dir(dir.path().join("sub"))
                .map(Iterator::count)
                .ok(),
            Some(0)
        );

        let mut f = AtomicFile::create(&path).unwrap_or_else(|e| panic!("{e}"));
        f.write_all(b"{}\n").unwrap_or_else(|e| panic!("{e}"));
        f.commit().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read(&path).ok().as_deref(), Some(&b"{}\n"[..]));
        assert_eq!(
            fs::read_dir(dir.path().join("sub"))
                .map(Iterator::count)
                .ok(),
            Some(1)
        );
    }

    #[test]
    fn temporary_files_are_recognised_and_stale_ones_removed() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("page.txt");
        let tmp = temporary_name(&out);
        let name = tmp.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        assert!(is_temporary_name(name), "{name}");
        for other in [
            ".page.txt.tmp",
            "page.txt.declutr-1.tmp",
            ".page.txt.declutr-x.tmp",
        ] {
            assert!(!is_temporary_name(other), "{other}");
        }
        // A killed run's temporary file, and a user's hidden file beside it.
        fs::write(dir.path().join(".page.txt.declutr-4242.tmp"), "half").unwrap_or_default();
        fs::write(dir.path().join(".notes.tmp"), "mine").unwrap_or_default();
        assert_eq!(
            remove_stale_temporaries(&OutputRoot::new(dir.path()), [out.as_path()]),
            1
        );
        assert!(dir.path().join(".notes.tmp").exists());
        let opened = Dir::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        write_atomic_in(&opened, OsStr::new("page.txt"), b"whole")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read_dir(dir.path()).map(Iterator::count).ok(), Some(2));
        assert!(!live_temporaries().contains(&tmp));
    }

    #[test]
    fn a_temporary_file_being_written_is_not_stale() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("all.jsonl");
        let mut live = AtomicFile::create(&out).unwrap_or_else(|e| panic!("{e}"));
        io::Write::write_all(&mut live, b"{}\n").unwrap_or_else(|e| panic!("{e}"));
        // A killed run's file beside it: nobody holds its lock.
        let killed = dir.path().join(".all.jsonl.declutr-4242.tmp");
        fs::write(&killed, "half").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            remove_stale_temporaries(&OutputRoot::new(dir.path()), [out.as_path()]),
            1
        );
        assert!(!killed.exists());
        assert!(temporary_name(&out).exists(), "the live file was removed");
        live.commit().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read_to_string(&out).ok().as_deref(), Some("{}\n"));
    }
}
