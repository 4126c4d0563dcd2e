use std::fmt;

use super::DefinitionKind;
use crate::config::DiagnosticKind;

/// Every way a parsed matrix can be wrong. The message is the `Display` below, the label
/// and help come from `label` and `help`; every rule states its message here once.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorKind {
    /// `parent` is "the top level" or a node name in backquotes; `help` from `suggest`.
    UnknownNode {
        name: String,
        parent: String,
        help: String,
    },
    UnknownProperty {
        key: String,
        node: String,
        help: String,
    },
    UnexpectedArgument {
        node: String,
        takes: usize,
    },
    MissingValue {
        node: String,
        what: String,
    },
    WrongType {
        expected: String,
        found: &'static str,
    },
    DuplicateDefinition {
        kind: DefinitionKind,
        name: String,
    },
    /// A server without `command` or `script`.
    NoLaunch {
        server: String,
    },
    /// A server (`framework: false`) or framework with no interface.
    NoInterface {
        name: String,
        framework: bool,
    },
    FrameworkInterfaceArity,
    CompileWithoutRun,
    UnknownBound {
        bound: String,
    },
    ScenarioWithoutPath {
        scenario: String,
    },
    EnvNotProperty,
    UnsupportedWithoutReason,
    /// A setting given no value, or a run-wide setting given several.
    SettingArity {
        setting: &'static str,
        example: String,
        many: bool,
    },
    InvalidSettingValue {
        setting: &'static str,
        reason: String,
        example: String,
    },
    SettingWrongType {
        expected: &'static str,
        found: &'static str,
        example: String,
    },
    OutOfRange {
        what: String,
        value: String,
        min: String,
        max: String,
    },
    ThreadsOverConnections {
        threads: u64,
        connections: u64,
    },
    InvalidCpuset {
        text: String,
        reason: String,
    },
    DuplicateSweepValue {
        setting: &'static str,
        value: String,
    },
    UnknownReference {
        kind: DefinitionKind,
        name: String,
        help: String,
    },
    /// `variant` is not a variant of the server or runtime `name`.
    UnknownVariant {
        kind: DefinitionKind,
        name: String,
        variant: String,
        help: String,
    },
    UnknownRow {
        name: String,
        help: String,
    },
    InvalidPattern {
        pattern: String,
        reason: String,
    },
    NoMatrix,
    EmptyMatrix,
    IncludeArity {
        too_many: bool,
    },
    Incompatible {
        include: String,
        reason: String,
    },
    /// A row asks for an interface that its framework and server do not both declare;
    /// `by` names them.
    InterfaceNotShared {
        interface: String,
        by: String,
        help: String,
    },
    /// `other` describes the row that has the name already.
    DuplicateRowName {
        name: String,
        other: String,
    },
    /// A file or directory under the project root that does not exist.
    MissingFile {
        what: &'static str,
        path: String,
        fix: &'static str,
    },
    /// A name, label or path with characters outside `allowed`.
    UnsafeText {
        what: String,
        value: String,
        allowed: &'static str,
    },
    ControlCharacter {
        what: String,
    },
    InvalidPath {
        path: String,
        reason: String,
    },
    InvalidContentType {
        value: String,
    },
    /// An `apt-options` item that `apt-get -o` would refuse.
    InvalidAptOption {
        option: String,
        reason: String,
    },
    /// A pip requirement without `==VERSION`; `hint` when it has a near miss like `=`.
    UnpinnedRequirement {
        requirement: String,
        hint: Option<String>,
    },
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ErrorKind::*;
        match self {
            UnknownNode { name, parent, .. } => write!(f, "unknown node `{name}` in {parent}"),
            UnknownProperty { key, node, .. } => write!(f, "unknown property `{key}` on `{node}`"),
            UnexpectedArgument { node, .. } => write!(f, "unexpected argument to `{node}`"),
            MissingValue { node, what } => write!(f, "`{node}` needs {what}"),
            WrongType { expected, found } => write!(f, "expected {expected}, found {found}"),
            DuplicateDefinition { kind, name } => write!(f, "duplicate {kind} `{name}`"),
            NoLaunch { server } => write!(f, "server `{server}` has no way to start"),
            NoInterface { name, framework: false } => {
                write!(f, "server `{name}` serves no interface")
            }
            NoInterface { name, framework: true } => {
                write!(f, "framework `{name}` declares no interface")
            }
            FrameworkInterfaceArity => {
                write!(f, "`interface` in a framework takes an interface and the app's target")
            }
            CompileWithoutRun => write!(f, "`compile` needs `run=`"),
            UnknownBound { bound } => write!(f, "unknown bound `{bound}`"),
            ScenarioWithoutPath { scenario } => write!(f, "scenario `{scenario}` has no path"),
            EnvNotProperty => write!(f, "`env` takes KEY=\"value\" properties"),
            UnsupportedWithoutReason => write!(f, "`unsupported` needs `reason=`"),
            SettingArity { setting, many: false, .. } => write!(f, "`{setting}` needs a value"),
            SettingArity { setting, many: true, .. } => {
                write!(f, "`{setting}` takes one value: it cannot be swept")
            }
            InvalidSettingValue { reason, .. } => f.write_str(reason),
            SettingWrongType { expected, found, .. } => {
                write!(f, "expected {expected}, found {found}")
            }
            OutOfRange { what, value, min, max } => {
                write!(f, "{what} {value} is out of range ({min} to {max})")
            }
            ThreadsOverConnections { threads, connections } => {
                write!(f, "{threads} threads for {connections} connections")
            }
            InvalidCpuset { text, reason } => write!(f, "invalid cpuset `{text}`: {reason}"),
            DuplicateSweepValue { setting, value } => {
                write!(f, "`{setting}` lists {value} twice")
            }
            UnknownReference { kind, name, .. } => write!(f, "unknown {kind} `{name}`"),
            UnknownVariant { kind, name, variant, .. } => {
                write!(f, "unknown variant `{variant}` of {kind} `{name}`")
            }
            UnknownRow { name, .. } => write!(f, "no row is named `{name}`"),
            InvalidPattern { pattern, reason } => {
                write!(f, "invalid pattern `{pattern}`: {reason}")
            }
            NoMatrix => write!(f, "the file has no `matrix`"),
            EmptyMatrix => write!(f, "the matrix is empty"),
            IncludeArity { .. } => write!(f, "`include` takes a framework and a server"),
            Incompatible { include, .. } => {
                write!(f, "`include {include}` names an incompatible combination")
            }
            InterfaceNotShared { interface, by, .. } => {
                write!(f, "interface `{interface}` is not shared by {by}")
            }
            DuplicateRowName { name, .. } => write!(f, "duplicate row name `{name}`"),
            MissingFile { what, path, .. } => write!(f, "{what} `{path}` does not exist"),
            UnsafeText { what, value, .. } => write!(f, "{what} `{value}` has unsafe characters"),
            ControlCharacter { what } => write!(f, "{what} contains a control character"),
            InvalidPath { path, reason } => write!(f, "invalid request path `{path}`: {reason}"),
            InvalidContentType { value } => write!(f, "invalid content type `{value}`"),
            InvalidAptOption { option, reason } => {
                write!(f, "invalid apt option `{option}`: {reason}")
            }
            UnpinnedRequirement { requirement, .. } => {
                write!(f, "requirement `{requirement}` is not pinned")
            }
        }
    }
}

impl DiagnosticKind for ErrorKind {
    fn label(&self) -> String {
        use ErrorKind::*;
        match self {
            UnknownNode { .. } => "unknown node".into(),
            UnknownProperty { .. } => "unknown property".into(),
            UnexpectedArgument { .. } => "not expected here".into(),
            MissingValue { what, .. } => format!("{what} missing"),
            WrongType { found, .. } | SettingWrongType { found, .. } => format!("this is {found}"),
            DuplicateDefinition { .. } => "defined again here".into(),
            NoLaunch { .. } => "needs `command` or `script`".into(),
            NoInterface { .. } => "needs `interface`".into(),
            FrameworkInterfaceArity => "expected two strings".into(),
            CompileWithoutRun => "no run command".into(),
            UnknownBound { .. } => "not cpu or io".into(),
            ScenarioWithoutPath { .. } => "needs `path`".into(),
            EnvNotProperty => "not a property".into(),
            UnsupportedWithoutReason => "no reason given".into(),
            SettingArity { many: false, .. } => "value missing".into(),
            SettingArity { many: true, .. } => "a second value".into(),
            InvalidSettingValue { .. } => "not understood".into(),
            OutOfRange { .. } => "out of range".into(),
            ThreadsOverConnections { .. } => "more threads than connections".into(),
            InvalidCpuset { .. } => "not a cpuset".into(),
            DuplicateSweepValue { .. } => "listed before".into(),
            UnknownReference { kind, .. } => format!("no {kind} of this name"),
            UnknownVariant { .. } => "no such variant".into(),
            UnknownRow { .. } => "unknown row".into(),
            InvalidPattern { .. } => "bad glob".into(),
            NoMatrix => "the matrix would be empty".into(),
            EmptyMatrix => "no cell is left".into(),
            IncludeArity { too_many: true } => "too many arguments".into(),
            IncludeArity { too_many: false } => "missing framework or server".into(),
            Incompatible { reason, .. } => reason.clone(),
            InterfaceNotShared { .. } => "not shared".into(),
            DuplicateRowName { .. } => "a different combination already has this name".into(),
            MissingFile { .. } => "not found".into(),
            UnsafeText { .. } => "unsafe characters".into(),
            ControlCharacter { .. } => "control character".into(),
            InvalidPath { .. } => "not an origin-form path".into(),
            InvalidContentType { .. } => "not a header value".into(),
            InvalidAptOption { .. } => "not NAME=VALUE".into(),
            UnpinnedRequirement { .. } => "no `==VERSION`".into(),
        }
    }

    fn help(&self) -> Option<String> {
        use ErrorKind::*;
        Some(match self {
            UnknownNode { help, .. }
            | UnknownProperty { help, .. }
            | UnknownReference { help, .. }
            | UnknownVariant { help, .. }
            | InterfaceNotShared { help, .. }
            | UnknownRow { help, .. } => help.clone(),
            UnexpectedArgument { node, takes } => {
                let plural = if *takes == 1 { "" } else { "s" };
                format!("`{node}` takes {takes} argument{plural}")
            }
            MissingValue { node, .. } => format!("write it after the node name: `{node} \"...\"`"),
            WrongType { expected, .. } if expected.contains("string") => {
                "put the value in double quotes".into()
            }
            WrongType { expected, .. } => format!("write {expected} here"),
            DuplicateDefinition { kind, name } => format!(
                "rename one of them, or merge the two `{kind} {name}` blocks; a file that imports \
                 another may redefine its {kind}s to patch them"
            ),
            NoLaunch { .. } => {
                "add `command \"gunicorn --bind 127.0.0.1:$PORT {app}\"` or `script \
                                \"my_server.py\"` (a file in apps/servers/)"
                    .into()
            }
            NoInterface { framework: false, .. } => {
                "add e.g. `interface wsgi` (or asgi, aiohttp, own)".into()
            }
            NoInterface { framework: true, .. } => {
                "add e.g. `interface wsgi \"my_app:app\"`".into()
            }
            FrameworkInterfaceArity => "write `interface wsgi \"my_app:app\"` (for `own`, the \
                                        module with `serve(host, port)`)"
                .into(),
            CompileWithoutRun => "add `run=\"/build/{stem}.dist/{stem}.bin\"`: how the compiled \
                                  program starts"
                .into(),
            UnknownBound { .. } => "write `bound \"cpu\"` (the server should be busy) or `bound \
                                    \"io\"` (it mostly waits)"
                .into(),
            ScenarioWithoutPath { .. } => {
                "add `path \"/hello\"`: the URL path the load generator requests".into()
            }
            EnvNotProperty => "write `env BENCH_LOOP=\"uvloop\"`".into(),
            UnsupportedWithoutReason => "say why, e.g. `reason=\"uvloop does not import on \
                                         PyPy\"`: it is shown where the cell would be"
                .into(),
            SettingArity { example, .. }
            | InvalidSettingValue { example, .. }
            | SettingWrongType { example, .. } => example.clone(),
            OutOfRange { min, max, .. } => format!("write a value from {min} to {max}"),
            ThreadsOverConnections { .. } => "each generator thread needs a connection: lower \
                                              `threads` or raise `connections`"
                .into(),
            InvalidCpuset { .. } => "write CPU numbers and ranges as Docker's --cpuset-cpus \
                                     takes them: `\"1\"`, `\"0-3\"`, `\"0,2-3\"`"
                .into(),
            DuplicateSweepValue { .. } => "remove the repeated value: each value of a sweep \
                                           makes its own cell"
                .into(),
            InvalidPattern { .. } => "use `*` for any text, `?` for one character".into(),
            NoMatrix => "add `matrix { include FRAMEWORK SERVER }` or `matrix { axes { ... } }`; \
                         see docs/matrix.md"
                .into(),
            EmptyMatrix => "no row was included, or every cell was excluded or incompatible; \
                            check `axes`, `include` and `exclude`"
                .into(),
            IncludeArity { .. } => "write `include FRAMEWORK SERVER` or `include FRAMEWORK \
                                    SERVER:VARIANT runtime=RUNTIME`"
                .into(),
            Incompatible { .. } => "pick a server that serves one of the framework's interfaces \
                                    on this runtime, or mark the cells N/A with `override \
                                    row=... { na \"reason\" }` on a row that builds"
                .into(),
            DuplicateRowName { other, .. } => format!(
                "{other}; give this one its own name with `name=\"...\"`, or change a `label`"
            ),
            MissingFile { fix, .. } => (*fix).into(),
            UnsafeText { allowed, .. } => format!("use only {allowed}"),
            ControlCharacter { .. } => "remove newlines, tabs and other control characters: the \
                                        value reaches a Dockerfile or a shell"
                .into(),
            InvalidPath { .. } => "write an absolute path such as `\"/hello\"` or \
                                   `\"/search?q=1\"`, with special characters percent-encoded"
                .into(),
            InvalidContentType { .. } => "write a media type such as `\"application/json\"`".into(),
            InvalidAptOption { .. } => "write an apt configuration item and its value, e.g. \
                                        `\"Acquire::Check-Valid-Until=false\"`: every apt-get of \
                                        the image takes it as `-o ITEM`"
                .into(),
            UnpinnedRequirement { hint: Some(hint), .. } => hint.clone(),
            UnpinnedRequirement { requirement, .. } => format!(
                "pin an exact version with ==, e.g. `\"{requirement}==1.2.3\"`, so every build \
                 installs the same code"
            ),
        })
    }
}
