//! The `xuncha` binary: parses the command line and runs the command.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = xuncha::cli::Cli::parse();
    match xuncha::cli::run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{}{e:#}", xuncha_core::i18n::t("cli.error_prefix"));
            std::process::ExitCode::from(1)
        }
    }
}
