//! The examples' command lines: `--help` prints the usage and exits 0, a
//! mistake prints what is wrong and the usage on stderr and exits 2.

// Each example uses the part it needs: `no_options`, or `parse` and `value`.
#![allow(dead_code)]

use std::process::ExitCode;
use std::str::FromStr;

/// The arguments after the program's name, read one at a time by an
/// example's option parser.
#[derive(Debug)]
pub struct Args {
    args: std::vec::IntoIter<String>,
}

impl Args {
    /// The next argument, or `None` after the last.
    pub fn next(&mut self) -> Option<String> {
        self.args.next()
    }

    /// The argument after `option`, parsed as a `V`: `--epochs 5`.
    pub fn value<V: FromStr>(&mut self, option: &str) -> Result<V, String> {
        let value = self
            .args
            .next()
            .ok_or_else(|| format!("{option} needs a value"))?;
        value
            .parse()
            .map_err(|_| format!("{option}: `{value}` is not a valid value"))
    }
}

/// The message for an argument an example does not know.
pub fn unknown(argument: &str) -> String {
    format!("unknown argument `{argument}`")
}

/// Reads the command line with `options`, which consumes [`Args`] and
/// returns the example's settings or what is wrong with them.
///
/// `--help` or `-h` anywhere prints `usage` on stdout and gives
/// `Err(ExitCode::SUCCESS)`; an error prints itself and `usage` on stderr and
/// gives `Err(ExitCode::from(2))`. `main` returns the exit code.
pub fn parse<T>(
    usage: &str,
    arguments: impl IntoIterator<Item = String>,
    options: impl FnOnce(&mut Args) -> Result<T, String>,
) -> Result<T, ExitCode> {
    let arguments: Vec<String> = arguments.into_iter().collect();
    if arguments.iter().any(|a| a == "--help" || a == "-h") {
        print!("{usage}");
        return Err(ExitCode::SUCCESS);
    }
    let mut args = Args {
        args: arguments.into_iter(),
    };
    options(&mut args).map_err(|message| {
        eprintln!("error: {message}");
        eprint!("{usage}");
        ExitCode::from(2)
    })
}

/// [`parse`] for an example without options: any argument but `--help` is
/// an error.
pub fn no_options(usage: &str) -> Result<(), ExitCode> {
    parse(usage, std::env::args().skip(1), |args| match args.next() {
        None => Ok(()),
        Some(argument) => Err(unknown(&argument)),
    })
}
