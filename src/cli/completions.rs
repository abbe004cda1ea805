//! `akhbar completions SHELL` and `akhbar man`: shell completions and
//! manual pages generated from the command line's own definitions (by
//! `clap_complete` and `clap_mangen`, as ripgrep and fd ship theirs), so
//! they never fall behind a new flag.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use super::Cli;

/// Arguments of `akhbar completions`.
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// The shell to complete in: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Arguments of `akhbar man`.
#[derive(Args, Debug)]
pub struct ManArgs {
    /// Write a page for akhbar and one for each command (akhbar.1,
    /// akhbar-search.1 …) into this folder instead of printing akhbar(1).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Prints the completion script for a shell.
///
/// # Errors
/// Writing to stdout failed.
pub fn run(args: &CompletionsArgs) -> anyhow::Result<i32> {
    // into memory first: the generators panic on a closed stdout
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "akhbar", &mut script);
    std::io::stdout().lock().write_all(&script)?;
    Ok(0)
}

/// Prints akhbar(1), or writes every page into a folder.
///
/// # Errors
/// Writing to stdout or the folder failed.
pub fn run_man(args: &ManArgs) -> anyhow::Result<i32> {
    let command = Cli::command();
    match &args.out {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(command).render(&mut page)?;
            std::io::stdout().lock().write_all(&page)?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
            clap_mangen::generate_to(command, dir)
                .with_context(|| format!("{}: cannot write the pages", dir.display()))?;
            eprintln!("akhbar: manual pages written to {}", dir.display());
        }
    }
    Ok(0)
}
