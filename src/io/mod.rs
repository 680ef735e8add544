//! Input and output at the edge of a run: bounded reads of files and stdin ([`read`]),
//! gzip decompressed as it is read ([`gzip`]), atomic output through temporary files
//! ([`atomic`]), and the paths under an output root that nothing can lead out of
//! ([`out_path`]).
//!
//! Nothing here knows about cleaning: the run layer ([`crate::run`]) reads with these,
//! cleans, and writes with these.

pub(crate) mod atomic;
pub(crate) mod gzip;
pub(crate) mod out_path;
pub(crate) mod read;
