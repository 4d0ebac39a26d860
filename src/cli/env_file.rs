//! Loads `PYLON_*` settings from a `.env` file before the command line is parsed, so clap's
//! `env =` fallbacks see them. Variables already set in the environment win.

use std::ffi::OsString;
use std::path::PathBuf;

/// Which file to load: `--env-file PATH` (or `--env-file=PATH`) on the command line, else
/// `PYLON_ENV_FILE`, else `./.env` if it exists. The flag and variable must name an existing
/// file; the default may be absent.
pub fn load(args: &[OsString]) -> Result<Option<PathBuf>, String> {
    let mut explicit = None;
    let mut iter = args.iter().skip(1);
    while let Some(arg) = iter.next() {
        let text = arg.to_string_lossy();
        if text == "--" {
            break;
        }
        if text == "--env-file" {
            explicit = iter.next().map(PathBuf::from);
            if explicit.is_none() {
                return Err("--env-file needs a path".into());
            }
        } else if let Some(path) = text.strip_prefix("--env-file=") {
            explicit = Some(PathBuf::from(path));
        }
    }
    let explicit = explicit.or_else(|| std::env::var_os("PYLON_ENV_FILE").map(PathBuf::from));
    let (path, required) = match explicit {
        Some(path) => (path, true),
        None => (PathBuf::from(".env"), false),
    };
    if !path.is_file() {
        return if required {
            Err(format!("env file {} does not exist", path.display()))
        } else {
            Ok(None)
        };
    }
    dotenvy::from_path(&path)
        .map_err(|e| format!("cannot read env file {}: {e}", path.display()))?;
    Ok(Some(path))
}
