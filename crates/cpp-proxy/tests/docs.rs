//! The proxy's documentation says what the binary does: `docs/proxy.md` carries the exact
//! text of `cpp-proxy --help`, so a flag added, renamed or reworded without the page fails
//! here.

use std::process::Command;

const DOC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/proxy.md");
const START: &str = "<!-- cpp-proxy --help -->\n```text\n";
const END: &str = "```\n<!-- end of cpp-proxy --help -->";

#[test]
fn docs_proxy_md_states_every_flag_as_help_does() {
    let help = Command::new(env!("CARGO_BIN_EXE_cpp-proxy"))
        .arg("--help")
        .output()
        .expect("run cpp-proxy --help");
    assert!(help.status.success());
    let help = String::from_utf8(help.stdout).expect("utf-8 help");
    let doc = std::fs::read_to_string(DOC).expect("docs/proxy.md");
    let start = doc.find(START).expect("the help block's start marker") + START.len();
    let end = doc[start..].find(END).expect("the help block's end marker") + start;
    assert!(
        doc[start..end] == help,
        "docs/proxy.md's flags differ from `cpp-proxy --help`; paste this between the markers:\n{help}"
    );
}
