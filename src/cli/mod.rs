//! The command line, binary only: the arguments as clap parses them ([`args`]) and their
//! resolution into the library's run settings, with every usage check ([`settings`]).

pub(crate) mod args;
pub(crate) mod settings;
