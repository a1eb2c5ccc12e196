//! `xuncha user …` and `xuncha token …`.

use std::io::Read;
use std::process::ExitCode;

use clap::Subcommand;
use xuncha_core::auth::Actor;
use xuncha_core::i18n::{t, tf};
use xuncha_core::policy::Scope;
use xuncha_core::usecases::{auth, users};
use xuncha_core::CoreError;

use crate::config::InstallArgs;

/// `xuncha user`.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from standard input
    Add {
        /// Login name
        #[arg(long)]
        username: String,
        /// Role: admin, office, leading-group, team-leader, team-deputy, team-member, discipline, organisation, department, inspected-unit, visiting-cadre, checker
        #[arg(long)]
        role: String,
        /// Jurisdiction unit (id or exact name); required for every role but admin
        #[arg(long)]
        unit: Option<String>,
        /// Name shown in the UI
        #[arg(long, default_value = "")]
        display_name: String,
        /// Read the password from standard input (required)
        #[arg(long)]
        password_stdin: bool,
    },
    /// List users
    List,
}

/// `xuncha token`.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a personal API token for a user and print it (shown once)
    Create {
        /// The user
        #[arg(long)]
        username: String,
        /// A name to recognise the token by
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

/// Prints field errors in Chinese and returns the failure code.
pub fn report(e: CoreError) -> anyhow::Result<ExitCode> {
    match e {
        CoreError::Invalid(v) => {
            for f in v {
                eprintln!(
                    "{}：{f}",
                    xuncha_core::i18n::t(&format!("field.{}", f.field))
                );
            }
            Ok(ExitCode::from(2))
        }
        CoreError::NotFound => {
            eprintln!("{}", xuncha_core::i18n::t("error_page.not_found"));
            Ok(ExitCode::from(2))
        }
        e => Err(anyhow::anyhow!("{e}")),
    }
}

/// Runs `xuncha user …`.
pub async fn run_user(install: &InstallArgs, cmd: UserCommand) -> anyhow::Result<ExitCode> {
    let i = super::open(install).await?;
    let code = match cmd {
        UserCommand::Add {
            username,
            role,
            unit,
            display_name,
            password_stdin,
        } => {
            anyhow::ensure!(password_stdin, "{}", t("cli.password_stdin"));
            let mut password = String::new();
            std::io::stdin().read_to_string(&mut password)?;
            let password = password.trim_end_matches(['\r', '\n']);
            let unit_id = match unit {
                None => None,
                Some(u) => match u.parse::<i64>() {
                    Ok(id) => Some(id),
                    Err(_) => {
                        let all = i.store.all_units(&Scope::all()).await?;
                        let found: Vec<_> = all.iter().filter(|x| x.name == u).collect();
                        match found.as_slice() {
                            [one] => Some(one.id),
                            [] => anyhow::bail!("{}", tf("import.unknown_unit", &[("name", &u)])),
                            _ => anyhow::bail!("{}", tf("cli.unit_ambiguous", &[("name", &u)])),
                        }
                    }
                },
            };
            let input = users::UserInput {
                username: &username,
                display_name: &display_name,
                role: &role,
                unit_id,
                password,
            };
            match users::add_user(i.store.as_ref(), i.clock.as_ref(), &Actor::system(), &input)
                .await
            {
                Ok(u) => {
                    println!(
                        "{}",
                        tf(
                            "cli.user_created",
                            &[("user", &u.username), ("role", u.role.label())]
                        )
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => report(e)?,
            }
        }
        UserCommand::List => {
            for u in i.store.list_users().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    u.id,
                    u.username,
                    u.role.label(),
                    u.unit_name.unwrap_or_else(|| t("users.all_units").into())
                );
            }
            ExitCode::SUCCESS
        }
    };
    i.opened.close().await;
    Ok(code)
}

/// Runs `xuncha token …`.
pub async fn run_token(install: &InstallArgs, cmd: TokenCommand) -> anyhow::Result<ExitCode> {
    let i = super::open(install).await?;
    let TokenCommand::Create { username, name } = cmd;
    let code = match auth::create_token(i.store.as_ref(), i.clock.as_ref(), &username, &name).await
    {
        Ok(token) => {
            println!("{token}");
            ExitCode::SUCCESS
        }
        Err(e) => report(e)?,
    };
    i.opened.close().await;
    Ok(code)
}
