//! `xuncha text …`: the Chinese text engine for users and scripts.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use clap::Subcommand;
use xuncha_text::normalize::{NormalizeOptions, Normalizer};

/// `xuncha text`.
#[derive(Debug, Subcommand)]
pub enum TextCommand {
    /// Read UTF-8 text on stdin, write it normalised for matching on stdout
    /// (traditional → simplified, variants and look-alikes → standard characters,
    /// full-width → half-width, circled numerals, invisible characters removed)
    Normalize {
        /// Also collapse runs of spaces into one (changes the character count)
        #[arg(long)]
        collapse_spaces: bool,
    },
    /// Print full and initial pinyin of each name read from stdin (one per line)
    Pinyin,
}

/// Runs `xuncha text …` (needs no installation).
pub fn run(cmd: TextCommand) -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match cmd {
        TextCommand::Normalize { collapse_spaces } => {
            let n = Normalizer::new(NormalizeOptions { collapse_spaces });
            let mut buf = String::new();
            // Line by line so large inputs stream; line ends are kept as read.
            let mut input = stdin.lock();
            loop {
                let mut line = String::new();
                if input.read_line(&mut line)? == 0 {
                    break;
                }
                buf.clear();
                n.normalize_into(&line, &mut buf);
                out.write_all(buf.as_bytes())?;
            }
        }
        TextCommand::Pinyin => {
            for line in stdin.lock().lines() {
                let line = line?;
                let k = xuncha_text::name_pinyin(line.trim());
                writeln!(out, "{}\t{}\t{}", line.trim(), k.full, k.initials)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
