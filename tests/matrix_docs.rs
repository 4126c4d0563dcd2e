//! docs/matrix.md documents every setting, with the default the code uses.

use bench::model::Setting;
use bench::model::setting::SETTINGS;

const DOCS: &str = include_str!("../docs/matrix.md");

/// The default column of the settings table's row for `name`.
fn documented_default(name: &str) -> Option<&'static str> {
    let row = DOCS.lines().find(|l| l.starts_with(&format!("| `{name}` |")))?;
    row.split('|').nth(3).map(str::trim)
}

/// The documented default as the setting reads it (`"20s"` → 20,000 ms), `None` for "none".
fn parsed(setting: &Setting, text: &str) -> Option<bench::model::SettingValue> {
    let text = text.trim_matches('`');
    if text == "none" {
        return None;
    }
    let document = kdl::KdlDocument::parse_v2(&format!("x {text}")).expect("a KDL value");
    let value = document.nodes()[0].entries()[0].value().clone();
    Some(setting.parse(&value).expect("the documented default is valid"))
}

#[test]
fn docs_list_every_setting_with_its_default() {
    for setting in SETTINGS {
        let documented = documented_default(setting.name)
            .unwrap_or_else(|| panic!("docs/matrix.md has no row for `{}`", setting.name));
        assert_eq!(parsed(setting, documented), setting.default, "default of `{}`", setting.name);
    }
}

#[test]
fn docs_list_no_setting_the_code_lacks() {
    let table = DOCS.split("| setting | value |").nth(1).expect("the settings table");
    let names: Vec<&str> = table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| l.split('`').nth(1))
        .collect();
    assert_eq!(names.len(), SETTINGS.len(), "{names:?}");
    assert!(names.iter().all(|n| Setting::named(n).is_some()), "{names:?}");
}
