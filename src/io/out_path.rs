//! Every path declutr writes is built here, under an output root, and cannot lead out of it.
//!
//! The outputs of a text batch (`-o DIR`, the input tree mirrored), of a WARC file (a
//! directory per WARC file, a file per record), of `declutr learn -o DIR` (`HOST.toml`) and
//! the one file of `--format jsonl -o FILE` (its directory being the root) are all joined
//! to their root by [`OutputRoot::join`], and made ready to write by
//! [`OutputRoot::prepare`]. Their names come from outside: input file names, WARC file
//! names and target URIs, hosts of pages. So:
//!
//! - a relative name is joined only when each of its components is a plain name: no `..`,
//!   no root or drive prefix, no empty component, and none made only of dots and spaces
//!   (`...`, `. .`), which some filesystems shorten to `..` or to nothing
//!   ([`check_component`]); anything else is an [`OutPathError::BadName`];
//! - the directories under the root are created one at a time, and a symbolic link met on
//!   the way, or in place of the file itself, is refused ([`OutPathError::Symlink`]): a
//!   link that already exists inside the output (`out/sub -> /elsewhere`) is never written
//!   through, nor replaced, since the user may have made it and removing it would lose
//!   their work. The run names the path and the link, and goes on with the other files.
//!
//! The root itself is the user's choice and may be, or lie under, a link. On Unix, the
//! directories under it are opened one at a time from the root's handle, never following
//! a link (`openat` with `O_NOFOLLOW`, through `rustix`), and the file is then written in
//! the directory handle [`OutputRoot::prepare`] returns ([`Prepared`]): a temporary file
//! made there, renamed into place there. So a process that swaps a directory inside the
//! output for a link while declutr writes cannot send a write through that link: the
//! write goes to the directory that was opened, wherever it now is. Elsewhere, each
//! directory is looked at just before the file is written, by its path.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::escape;

/// Why a name cannot be part of an output path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadName {
    /// No name at all, or an empty component.
    Empty,
    /// A root (`/x`) or a drive prefix (`C:`): not relative to the output.
    Absolute,
    /// `..`: it leads up, out of the output.
    Parent,
    /// `.`, `...`, `. .`: only dots and spaces, which a filesystem may shorten to `..` or
    /// to nothing.
    Dots,
}

impl fmt::Display for BadName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BadName::Empty => "an empty name",
            BadName::Absolute => "an absolute path",
            BadName::Parent => "`..` would lead out of the output directory",
            BadName::Dots => "a name made only of dots and spaces",
        })
    }
}

/// Why an output path was not built, or not made ready to write.
#[derive(Debug, thiserror::Error)]
pub enum OutPathError {
    /// The name is not a relative path of plain names.
    #[error("cannot write \"{}\" under {}: {why}", escape::path(.name), escape::path(.root))]
    BadName {
        /// The output root.
        root: PathBuf,
        /// The name, as it came.
        name: PathBuf,
        /// What is wrong with it.
        why: BadName,
    },
    /// A symbolic link inside the output, on the way to the file or in its place.
    #[error(
        "cannot write {}: {} is a symbolic link, and declutr never writes through a link: remove it, or choose another output",
        escape::path(.path), escape::path(.link)
    )]
    Symlink {
        /// The output file.
        path: PathBuf,
        /// The link.
        link: PathBuf,
    },
    /// Something that is not a directory stands where a directory is needed, or a
    /// directory where the file goes.
    #[error("cannot write {}: {} exists and is {what}", escape::path(.path), escape::path(.blocker))]
    Blocked {
        /// The output file.
        path: PathBuf,
        /// What is in the way.
        blocker: PathBuf,
        /// `not a directory`, `a directory`.
        what: &'static str,
    },
    /// Creating a directory, or looking at what is there, failed.
    #[error("cannot write {}: {}: {source}", escape::path(.path), escape::path(.at))]
    Io {
        /// The output file.
        path: PathBuf,
        /// The directory being created or looked at.
        at: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

/// Checks one component of an output path: a plain name, not empty, not `..` or `.`, not
/// made only of dots and spaces.
pub(crate) fn check_component(name: &OsStr) -> Result<(), BadName> {
    if name.is_empty() {
        return Err(BadName::Empty);
    }
    let bytes = name.as_encoded_bytes();
    if bytes == b".." {
        return Err(BadName::Parent);
    }
    if bytes.iter().all(|&b| b == b'.' || b == b' ') {
        return Err(BadName::Dots);
    }
    Ok(())
}

/// Whether `name` can be one component of an output path ([`check_component`]).
pub(crate) fn is_usable_name(name: &str) -> bool {
    check_component(OsStr::new(name)).is_ok()
}

/// The directory outputs are written under; see the [module docs](self).
///
/// It remembers that the root was made, so that a batch of many files makes it once; its
/// clones share that flag. The directories under the root are opened anew for each
/// file ([`OutputRoot::prepare`]): a handle held longer would keep one descriptor open
/// per directory of the output.
#[derive(Debug, Clone, Default)]
pub(crate) struct OutputRoot {
    dir: PathBuf,
    /// Set once the root directory is made (or found): each file then only opens it.
    made: Arc<OnceLock<()>>,
}

impl PartialEq for OutputRoot {
    fn eq(&self, other: &Self) -> bool {
        self.dir == other.dir
    }
}

impl Eq for OutputRoot {}

impl OutputRoot {
    /// The root `dir` (`-o DIR`), taken as the user gave it.
    pub(crate) fn new(dir: impl Into<PathBuf>) -> Self {
        OutputRoot {
            dir: dir.into(),
            made: Arc::default(),
        }
    }

    /// The root of one output file (`-o FILE`): its directory, and its name, checked.
    pub(crate) fn of_file(file: &Path) -> Result<(Self, PathBuf), OutPathError> {
        let bad = |why| OutPathError::BadName {
            root: file.parent().unwrap_or(Path::new("")).to_path_buf(),
            name: file.to_path_buf(),
            why,
        };
        let name = file.file_name().ok_or_else(|| bad(BadName::Dots))?;
        check_component(name).map_err(bad)?;
        let dir = file.parent().unwrap_or(Path::new(""));
        Ok((OutputRoot::new(dir), PathBuf::from(name)))
    }

    /// Checks the one output file `file` (`-o FILE`) before anything is written: a plain
    /// name, and not a symbolic link (which the rename into place would replace). Nothing
    /// is created.
    pub(crate) fn check_file(file: &Path) -> Result<(), OutPathError> {
        let (root, name) = OutputRoot::of_file(file)?;
        let path = root.join(&name)?;
        match what_is(&path) {
            Ok(Some(Kind::Link)) => Err(blocked(&path, &path, Some(Kind::Link))),
            _ => Ok(()),
        }
    }

    /// The root directory.
    #[cfg(test)]
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of `name` under the root: `name` must be relative and made of plain names
    /// only ([`check_component`]), so the path lies under the root whatever `name` is.
    pub(crate) fn join(&self, name: &Path) -> Result<PathBuf, OutPathError> {
        let bad = |why| OutPathError::BadName {
            root: self.dir.clone(),
            name: name.to_path_buf(),
            why,
        };
        let mut path = self.dir.clone();
        let mut components = 0;
        for c in name.components() {
            match c {
                Component::Normal(part) => {
                    check_component(part).map_err(bad)?;
                    path.push(part);
                    components += 1;
                }
                Component::ParentDir => return Err(bad(BadName::Parent)),
                Component::CurDir => return Err(bad(BadName::Dots)),
                Component::RootDir | Component::Prefix(_) => return Err(bad(BadName::Absolute)),
            }
        }
        if components == 0 {
            return Err(bad(BadName::Empty));
        }
        Ok(path)
    }

    /// [`OutputRoot::join`], then makes the path ready to write: the root is created if
    /// missing, then each directory under it, one at a time; a symbolic link on the way or
    /// in place of the file, a file where a directory goes, a directory where the file
    /// goes, are refused. The file is then written with [`Prepared::write`] or
    /// [`crate::io::atomic::AtomicFile::create_in`], through a temporary file beside it renamed
    /// into place, in the directory opened here.
    pub(crate) fn prepare(&self, name: &Path) -> Result<Prepared, OutPathError> {
        let path = self.join(name)?;
        let io_error = |at: &Path, source| OutPathError::Io {
            path: path.clone(),
            at: at.to_path_buf(),
            source,
        };
        if !self.dir.as_os_str().is_empty() && self.made.get().is_none() {
            fs::create_dir_all(&self.dir).map_err(|e| io_error(&self.dir, e))?;
            let _ = self.made.set(());
        }
        let parts: Vec<&OsStr> = name.components().map(|c| c.as_os_str()).collect();
        let Some((file, dirs)) = parts.split_last() else {
            return Err(OutPathError::BadName {
                root: self.dir.clone(),
                name: name.to_path_buf(),
                why: BadName::Empty,
            });
        };
        let mut dir = Dir::open(&self.dir).map_err(|e| io_error(&self.dir, e))?;
        for part in dirs {
            let at = dir.path.join(part);
            let child = match dir.child(part) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => match dir.mkdir(part) {
                    // Another thread may have made it meanwhile.
                    Ok(()) => dir.child(part),
                    Err(e) if e.kind() == io::ErrorKind::AlreadyExists => dir.child(part),
                    Err(e) => return Err(io_error(&at, e)),
                },
                other => other,
            };
            dir = match child {
                Ok(child) => child,
                // What stands there says why: a link, a file.
                Err(e) => {
                    return Err(match dir.kind(part) {
                        Ok(Some(Kind::Dir)) | Err(_) => io_error(&at, e),
                        Ok(kind) => blocked(&path, &at, kind),
                    });
                }
            };
        }
        let at = dir.path.join(file);
        match dir.kind(file) {
            Ok(None | Some(Kind::File)) => Ok(Prepared {
                path,
                dir,
                name: file.to_os_string(),
            }),
            Ok(kind) => Err(blocked(&path, &at, kind)),
            Err(e) => Err(io_error(&at, e)),
        }
    }

    /// The directory `dir` (the root or one under it), opened from the root without
    /// following a link on the way ([`OutputRoot::is_real_dir`]); `None` when it is not
    /// there, not a directory, or reached through a link. Nothing is created.
    pub(crate) fn open_dir(&self, dir: &Path) -> Option<Dir> {
        let rel = dir.strip_prefix(&self.dir).ok()?;
        let mut at = Dir::open(&self.dir).ok()?;
        for c in rel.components() {
            match c {
                Component::Normal(part) => at = at.child(part).ok()?,
                _ => return None,
            }
        }
        Some(at)
    }

    /// Whether `dir` is the root, or a directory under it reached from the root without a
    /// symbolic link: each directory on the way is a real one (the root itself may be a
    /// link, being the user's choice). Nothing is created, and nothing remembered: this is
    /// for reading or removing what is in `dir`, which must never happen through a link.
    pub(crate) fn is_real_dir(&self, dir: &Path) -> bool {
        self.open_dir(dir).is_some()
    }

    /// Whether `path` (a path [`OutputRoot::join`] gave) is a regular file reached from
    /// the root without a symbolic link: not a link itself, and only real directories on
    /// the way ([`OutputRoot::is_real_dir`]).
    #[cfg(test)]
    pub(crate) fn is_real_file(&self, path: &Path) -> bool {
        path.parent().is_some_and(|dir| self.is_real_dir(dir))
            && matches!(what_is(path), Ok(Some(Kind::File)))
    }

    /// When `path` (a path [`OutputRoot::join`] gave) is a regular file reached from the
    /// root without a symbolic link (not a link itself, and only real directories on the
    /// way: [`OutputRoot::is_real_dir`]), the time it was last modified: one look at the
    /// file, no link followed. `None` otherwise, or when the time cannot be read.
    pub(crate) fn real_file_modified(&self, path: &Path) -> Option<std::time::SystemTime> {
        let meta = fs::symlink_metadata(path)
            .ok()
            .filter(fs::Metadata::is_file)?;
        let dir = path.parent()?;
        self.is_real_dir(dir)
            .then(|| meta.modified().ok())
            .flatten()
    }

    /// [`OutputRoot::prepare`] for a path [`OutputRoot::join`] gave: the root, then a name.
    pub(crate) fn prepare_path(&self, path: &Path) -> Result<Prepared, OutPathError> {
        match path.strip_prefix(&self.dir) {
            Ok(name) => self.prepare(name),
            Err(_) => Err(OutPathError::BadName {
                root: self.dir.clone(),
                name: path.to_path_buf(),
                why: BadName::Absolute,
            }),
        }
    }
}

/// An output file made ready to write by [`OutputRoot::prepare`]: its path, and the
/// directory it goes in, open.
#[derive(Debug)]
pub(crate) struct Prepared {
    path: PathBuf,
    dir: Dir,
    name: OsString,
}

impl Prepared {
    /// The path of the file (for messages).
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The file's name in its directory.
    #[cfg(test)]
    pub(crate) fn name(&self) -> &OsStr {
        &self.name
    }

    /// Writes `contents` to the file, through a temporary file in its directory renamed
    /// into place there ([`crate::io::atomic::write_atomic_in`]).
    pub(crate) fn write(&self, contents: &[u8]) -> io::Result<()> {
        crate::io::atomic::write_atomic_in(&self.dir, &self.name, contents)
    }

    /// The file's contents as text, if it is there; never read through a link, and never
    /// waiting on a FIFO.
    pub(crate) fn read_to_string(&self) -> io::Result<String> {
        let mut text = String::new();
        io::Read::read_to_string(&mut self.dir.open_read(&self.name)?, &mut text)?;
        Ok(text)
    }
}

/// An open directory. On Unix it is a handle: what is made, read, renamed or removed in it
/// is in that very directory, whatever happens to its path meanwhile, and a directory in
/// it is opened without following a link. Elsewhere it is its path, looked at just before
/// each use.
#[derive(Debug)]
pub(crate) struct Dir {
    path: PathBuf,
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
}

#[cfg(unix)]
impl Dir {
    /// Opens the directory `path`, following links: the user's choice (`-o DIR`, the
    /// directory of `-o FILE`). An empty path is the current directory.
    pub(crate) fn open(path: &Path) -> io::Result<Dir> {
        use rustix::fs::{CWD, Mode, OFlags};
        let at = if path.as_os_str().is_empty() {
            Path::new(".")
        } else {
            path
        };
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(CWD, at, flags, Mode::empty())?;
        Ok(Dir {
            path: path.to_path_buf(),
            fd,
        })
    }

    /// The directory `name` in this one; an error when a link or anything but a
    /// directory is there.
    fn child(&self, name: &OsStr) -> io::Result<Dir> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name, flags, Mode::empty())?;
        Ok(Dir {
            path: self.path.join(name),
            fd,
        })
    }

    /// Makes the directory `name` in this one.
    fn mkdir(&self, name: &OsStr) -> io::Result<()> {
        Ok(rustix::fs::mkdirat(
            &self.fd,
            name,
            rustix::fs::Mode::from_raw_mode(0o777),
        )?)
    }

    /// What `name` is in this directory, not following a link; `None` when nothing is.
    fn kind(&self, name: &OsStr) -> io::Result<Option<Kind>> {
        use rustix::fs::FileType;
        match rustix::fs::statat(&self.fd, name, rustix::fs::AtFlags::SYMLINK_NOFOLLOW) {
            Ok(stat) => Ok(Some(match FileType::from_raw_mode(stat.st_mode) {
                FileType::Symlink => Kind::Link,
                FileType::Directory => Kind::Dir,
                FileType::RegularFile => Kind::File,
                _ => Kind::Special,
            })),
            Err(rustix::io::Errno::NOENT) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Creates the file `name` in this directory, to write; an error when anything is
    /// there already (a link too: it is not followed).
    pub(crate) fn create_new(&self, name: &OsStr) -> io::Result<fs::File> {
        use rustix::fs::{Mode, OFlags};
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o666))?;
        Ok(fs::File::from(fd))
    }

    /// Opens the file `name` in this directory, to read; an error when it is a link, and
    /// no wait when it is a FIFO.
    pub(crate) fn open_read(&self, name: &OsStr) -> io::Result<fs::File> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name, flags, Mode::empty())?;
        Ok(fs::File::from(fd))
    }

    /// Removes the file (or link) `name` from this directory.
    pub(crate) fn remove_file(&self, name: &OsStr) -> io::Result<()> {
        Ok(rustix::fs::unlinkat(
            &self.fd,
            name,
            rustix::fs::AtFlags::empty(),
        )?)
    }

    /// Renames `from` to `to`, both in this directory.
    pub(crate) fn rename(&self, from: &OsStr, to: &OsStr) -> io::Result<()> {
        Ok(rustix::fs::renameat(&self.fd, from, &self.fd, to)?)
    }

    /// Whether the open `file` is the regular file `name` in this directory itself.
    pub(crate) fn holds(&self, name: &OsStr, file: &fs::File) -> bool {
        use rustix::fs::FileType;
        let here = rustix::fs::statat(&self.fd, name, rustix::fs::AtFlags::SYMLINK_NOFOLLOW);
        match (rustix::fs::fstat(file), here) {
            (Ok(open), Ok(here)) => {
                FileType::from_raw_mode(open.st_mode) == FileType::RegularFile
                    && open.st_dev == here.st_dev
                    && open.st_ino == here.st_ino
            }
            _ => false,
        }
    }

    /// The names in this directory.
    pub(crate) fn names(&self) -> io::Result<Vec<OsString>> {
        use std::os::unix::ffi::OsStrExt as _;
        let mut names = Vec::new();
        for entry in rustix::fs::Dir::read_from(&self.fd)? {
            let entry = entry?;
            let name = entry.file_name().to_bytes();
            if name != b"." && name != b".." {
                names.push(OsStr::from_bytes(name).to_os_string());
            }
        }
        Ok(names)
    }
}

#[cfg(not(unix))]
impl Dir {
    /// Opens the directory `path`, following links: the user's choice (`-o DIR`, the
    /// directory of `-o FILE`). An empty path is the current directory.
    pub(crate) fn open(path: &Path) -> io::Result<Dir> {
        let at = if path.as_os_str().is_empty() {
            Path::new(".")
        } else {
            path
        };
        if fs::metadata(at)?.is_dir() {
            Ok(Dir {
                path: path.to_path_buf(),
            })
        } else {
            Err(io::Error::other("not a directory"))
        }
    }

    fn child(&self, name: &OsStr) -> io::Result<Dir> {
        let path = self.path.join(name);
        match what_is(&path)? {
            Some(Kind::Dir) => Ok(Dir { path }),
            None => Err(io::ErrorKind::NotFound.into()),
            Some(_) => Err(io::Error::other("not a directory, or a link")),
        }
    }

    fn mkdir(&self, name: &OsStr) -> io::Result<()> {
        fs::create_dir(self.path.join(name))
    }

    fn kind(&self, name: &OsStr) -> io::Result<Option<Kind>> {
        what_is(&self.path.join(name))
    }

    pub(crate) fn create_new(&self, name: &OsStr) -> io::Result<fs::File> {
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.path.join(name))
    }

    pub(crate) fn open_read(&self, name: &OsStr) -> io::Result<fs::File> {
        match self.kind(name)? {
            Some(Kind::File) => fs::File::open(self.path.join(name)),
            None => Err(io::ErrorKind::NotFound.into()),
            Some(_) => Err(io::Error::other("not a regular file")),
        }
    }

    pub(crate) fn remove_file(&self, name: &OsStr) -> io::Result<()> {
        fs::remove_file(self.path.join(name))
    }

    pub(crate) fn rename(&self, from: &OsStr, to: &OsStr) -> io::Result<()> {
        fs::rename(self.path.join(from), self.path.join(to))
    }

    pub(crate) fn holds(&self, name: &OsStr, file: &fs::File) -> bool {
        let _ = file;
        matches!(self.kind(name), Ok(Some(Kind::File)))
    }

    pub(crate) fn names(&self) -> io::Result<Vec<OsString>> {
        fs::read_dir(&self.path)?
            .map(|e| e.map(|e| e.file_name()))
            .collect()
    }
}

impl Dir {
    /// The directory's path (for messages).
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Whether anything (a link too) is at `name` in this directory.
    pub(crate) fn has(&self, name: &OsStr) -> bool {
        matches!(self.kind(name), Ok(Some(_)))
    }
}

/// What a path is, not following a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Dir,
    Link,
    File,
    /// A FIFO, a socket, a device: reading it (`learn` reads a site file before replacing
    /// it) could block.
    Special,
}

/// What is at `path`, without following a link there; `None` when nothing is.
fn what_is(path: &Path) -> io::Result<Option<Kind>> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Ok(Some(Kind::Link)),
        Ok(m) if m.is_dir() => Ok(Some(Kind::Dir)),
        Ok(m) if m.is_file() => Ok(Some(Kind::File)),
        Ok(_) => Ok(Some(Kind::Special)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The error for `kind` standing at `at` on the way to `path`.
fn blocked(path: &Path, at: &Path, kind: Option<Kind>) -> OutPathError {
    match kind {
        Some(Kind::Link) => OutPathError::Symlink {
            path: path.to_path_buf(),
            link: at.to_path_buf(),
        },
        Some(Kind::Dir) => OutPathError::Blocked {
            path: path.to_path_buf(),
            blocker: at.to_path_buf(),
            what: "a directory",
        },
        Some(Kind::Special) if at == path => OutPathError::Blocked {
            path: path.to_path_buf(),
            blocker: at.to_path_buf(),
            what: "not a regular file",
        },
        Some(Kind::File | Kind::Special) | None => OutPathError::Blocked {
            path: path.to_path_buf(),
            blocker: at.to_path_buf(),
            what: "not a directory",
        },
    }
}

/// Whether `path` lies under `root`, by its components alone: the root, then plain
/// names only, none that a filesystem could shorten to `..` (what tests check of every
/// path a run writes).
#[cfg(test)]
pub(crate) fn lies_under(root: &Path, path: &Path) -> bool {
    path.strip_prefix(root).is_ok_and(|rel| {
        rel.components().count() > 0
            && rel.components().all(|c| match c {
                std::path::Component::Normal(name) => check_component(name).is_ok(),
                _ => false,
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn names_join_under_the_root_or_not_at_all() {
        let root = OutputRoot::new("out");
        let good = [
            ("a/page.txt", "out/a/page.txt"),
            ("a/./page.txt", "out/a/page.txt"),
            ("a//b", "out/a/b"),
            ("..a/b..", "out/..a/b.."),
            (".hidden", "out/.hidden"),
            ("a\nb.txt", "out/a\nb.txt"),
            ("x.example.toml", "out/x.example.toml"),
        ];
        for (name, want) in good {
            assert_eq!(
                root.join(Path::new(name)).ok().as_deref(),
                Some(Path::new(want)),
                "{name:?}"
            );
        }
        let bad = [
            ("", BadName::Empty),
            ("..", BadName::Parent),
            ("a/../../b", BadName::Parent),
            ("../x.toml", BadName::Parent),
            ("/etc/passwd", BadName::Absolute),
            ("./a", BadName::Dots),
            ("...", BadName::Dots),
            ("a/. ./b", BadName::Dots),
            (" ", BadName::Dots),
            ("a/.. /b", BadName::Dots),
        ];
        for (name, why) in bad {
            match root.join(Path::new(name)) {
                Err(OutPathError::BadName { why: got, .. }) => assert_eq!(got, why, "{name:?}"),
                other => panic!("{name:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn directories_are_made_and_links_refused() {
        let dir = tmp();
        let root = OutputRoot::new(dir.path().join("out"));
        let path = root.prepare(Path::new("a/b/page.txt"));
        assert_eq!(
            path.as_ref().ok().map(Prepared::path),
            Some(dir.path().join("out/a/b/page.txt").as_path())
        );
        assert!(dir.path().join("out/a/b").is_dir());

        #[cfg(unix)]
        {
            let elsewhere = dir.path().join("elsewhere");
            fs::create_dir_all(&elsewhere).unwrap_or_else(|e| panic!("{e}"));
            std::os::unix::fs::symlink(&elsewhere, dir.path().join("out/sub"))
                .unwrap_or_else(|e| panic!("{e}"));
            match root.prepare(Path::new("sub/x/page.txt")) {
                Err(OutPathError::Symlink { link, .. }) => {
                    assert_eq!(link, dir.path().join("out/sub"));
                }
                other => panic!("{other:?}"),
            }
            assert_eq!(fs::read_dir(&elsewhere).map(Iterator::count).ok(), Some(0));
            // Nothing is read or removed through the link either.
            assert!(root.is_real_dir(&dir.path().join("out/a/b")));
            assert!(root.is_real_dir(root.dir()));
            assert!(!root.is_real_dir(&dir.path().join("out/sub")));
            assert!(!root.is_real_dir(&elsewhere));
            // A link in place of the file.
            std::os::unix::fs::symlink(elsewhere.join("f"), dir.path().join("out/a/f.txt"))
                .unwrap_or_else(|e| panic!("{e}"));
            fs::write(elsewhere.join("f"), "x").unwrap_or_else(|e| panic!("{e}"));
            assert!(!root.is_real_file(&dir.path().join("out/a/f.txt")));
            assert!(matches!(
                root.prepare(Path::new("a/f.txt")),
                Err(OutPathError::Symlink { .. })
            ));
            // A FIFO in place of the file: `learn` would block reading it.
            let fifo = dir.path().join("out/a/fifo.toml");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            if made.is_ok_and(|s| s.success()) {
                assert!(matches!(
                    root.prepare(Path::new("a/fifo.toml")),
                    Err(OutPathError::Blocked {
                        what: "not a regular file",
                        ..
                    })
                ));
            }
        }
        // A file where a directory goes, a directory where the file goes.
        fs::write(dir.path().join("out/file"), "x").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            root.prepare(Path::new("file/page.txt")),
            Err(OutPathError::Blocked {
                what: "not a directory",
                ..
            })
        ));
        assert!(matches!(
            root.prepare(Path::new("a")),
            Err(OutPathError::Blocked {
                what: "a directory",
                ..
            })
        ));
    }

    /// A directory swapped for a link between [`OutputRoot::prepare`] and the write (as
    /// another process could): the file goes to the directory that was prepared, never
    /// through the link.
    #[cfg(unix)]
    #[test]
    fn a_directory_swapped_for_a_link_after_prepare_is_not_written_through() {
        let dir = tmp();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap_or_else(|e| panic!("{e}"));
        let root = OutputRoot::new(dir.path().join("out"));
        let swap = || {
            fs::rename(dir.path().join("out/a"), dir.path().join("out/moved"))
                .unwrap_or_else(|e| panic!("{e}"));
            std::os::unix::fs::symlink(&elsewhere, dir.path().join("out/a"))
                .unwrap_or_else(|e| panic!("{e}"));
        };
        let page = root
            .prepare(Path::new("a/b/page.txt"))
            .unwrap_or_else(|e| panic!("{e}"));
        swap();
        page.write(b"page").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            fs::read_to_string(dir.path().join("out/moved/b/page.txt"))
                .ok()
                .as_deref(),
            Some("page")
        );
        assert_eq!(fs::read_dir(&elsewhere).map(Iterator::count).ok(), Some(0));

        // The same for a file written in several steps, and for the removal of stale
        // temporary files: both act in the directory opened, not through the link.
        fs::remove_file(dir.path().join("out/a")).unwrap_or_else(|e| panic!("{e}"));
        fs::remove_dir_all(dir.path().join("out/moved")).unwrap_or_else(|e| panic!("{e}"));
        let page = root
            .prepare(Path::new("a/b/page.txt"))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut file = crate::io::atomic::AtomicFile::create_in(
            Dir::open(&dir.path().join("out/a/b")).unwrap_or_else(|e| panic!("{e}")),
            page.name(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        swap();
        io::Write::write_all(&mut file, b"long page").unwrap_or_else(|e| panic!("{e}"));
        file.commit().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            fs::read_to_string(dir.path().join("out/moved/b/page.txt"))
                .ok()
                .as_deref(),
            Some("long page")
        );
        assert_eq!(fs::read_dir(&elsewhere).map(Iterator::count).ok(), Some(0));
        assert!(root.open_dir(&dir.path().join("out/a/b")).is_none());
    }

    /// A path component as hostile names come: dots, spaces, separators, controls, any text.
    fn component() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            prop::sample::select(
                &[
                    "..", ".", "", "...", " ", ". .", ".. ", "/", "//", "\\", "C:"
                ][..]
            )
            .prop_map(str::to_string),
            "[a-z.]{1,6}",
            "[. ]{1,4}",
            "\\PC{1,8}",
            "[\\x00-\\x1f]{1,3}",
        ]
    }

    proptest::proptest! {
        #[test]
        fn every_joined_path_lies_under_the_root(
            parts in proptest::collection::vec(component(), 0..6),
            absolute in proptest::bool::ANY,
        ) {
            let root = Path::new("out/root");
            let name = format!("{}{}", if absolute { "/" } else { "" }, parts.join("/"));
            if let Ok(path) = OutputRoot::new(root).join(Path::new(&name)) {
                proptest::prop_assert!(lies_under(root, &path), "{name:?} -> {path:?}");
            }
        }
    }

    #[test]
    fn an_output_file_is_checked_by_its_name() {
        let (root, name) =
            OutputRoot::of_file(Path::new("res/all.jsonl")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (root.dir(), name.as_path()),
            (Path::new("res"), Path::new("all.jsonl"))
        );
        let (root, _) =
            OutputRoot::of_file(Path::new("all.jsonl")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(root.dir(), Path::new(""));
        assert!(OutputRoot::of_file(Path::new("res/...")).is_err());
    }
}
