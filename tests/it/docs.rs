//! The generated shell completions and man pages in the repository match the CLI.
//! Regenerate them with `PYLON_UPDATE_DOCS=1 cargo test --test it docs`.

use std::path::PathBuf;

use clap_complete::Shell;

fn check(path: &str, expected: &[u8]) {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("PYLON_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(file.parent().expect("a parent")).expect("create dir");
        std::fs::write(&file, expected).expect("write");
        return;
    }
    let actual = std::fs::read(&file).unwrap_or_default();
    assert!(
        actual == expected,
        "{path} is out of date with the CLI; run `PYLON_UPDATE_DOCS=1 cargo test --test it docs`"
    );
}

#[test]
fn completions_and_man_page_are_up_to_date() {
    for (shell, path) in [
        (Shell::Bash, "completions/pylon.bash"),
        (Shell::Zsh, "completions/_pylon"),
        (Shell::Fish, "completions/pylon.fish"),
    ] {
        let mut text = pylon::cli::completions(shell);
        text.push('\n');
        check(path, text.as_bytes());
    }
    let pages = pylon::cli::man_pages();
    for (name, page) in &pages {
        check(&format!("man/{name}"), page);
    }
    // No page of a command that is gone.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("man");
    for entry in std::fs::read_dir(&dir).expect("man/") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        if pages.iter().any(|(p, _)| *p == name) {
            continue;
        }
        if std::env::var_os("PYLON_UPDATE_DOCS").is_some() {
            std::fs::remove_file(entry.path()).expect("remove a stale page");
        } else {
            panic!("man/{name} belongs to no command");
        }
    }
    assert!(pages.len() > 10, "one page per subcommand: {}", pages.len());
}

#[test]
fn the_completions_command_prints_the_same_script() {
    let out = assert_cmd::Command::cargo_bin("pylon")
        .expect("binary")
        .args(["completions", "bash"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let mut expected = pylon::cli::completions(Shell::Bash);
    expected.push('\n');
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}
