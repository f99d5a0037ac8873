//! CLI forms of the advisor's rules (issue 8, in progress).

/// Subcommands over the rule modules.
#[derive(clap::Subcommand, Debug)]
pub enum RulesCommand {}

/// Run one rule subcommand, printing to stdout.
pub fn run(cmd: RulesCommand, _json: bool) -> Result<(), String> {
    match cmd {}
}
