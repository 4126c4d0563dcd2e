//! `variant NAME { ... }` inside a server or a runtime: one reader for both kinds.

use indexmap::IndexMap;
use kdl::KdlNode;

use super::analyzer::Analyzer;
use super::node_reader::NodeReader;
use super::{DefinitionKind, Layer, checks};
use crate::config::Source;

/// A variant of a definition: another way to run a server, another build of a runtime. It
/// inherits its definition and its block says what changes.
pub(super) trait VariantBlock {
    /// The kind of definition whose block holds it.
    const OF: DefinitionKind;

    /// A fresh variant, labelled with its name.
    fn new(name: &str) -> Self;

    fn label_mut(&mut self) -> &mut String;

    /// Read the children of the `variant` block `node`, reporting unknown ones.
    fn read_block(&mut self, a: &mut Analyzer, source: &Source, node: &KdlNode);
}

/// A `variant NAME { ... }` child of the definition `owner`: a new variant, or a patch of one
/// an imported file defined. Its settings land in their own layer; the owner's layer is
/// restored afterwards.
pub(super) fn read_variant<V: VariantBlock>(
    variants: &mut IndexMap<String, V>,
    owner: &str,
    a: &mut Analyzer,
    source: &Source,
    child: &KdlNode,
) {
    let mut r = NodeReader::new(source, child, &["label"]);
    let Some((name, span)) = r.required_string("a variant name", &mut a.errors) else {
        return;
    };
    let label = r.prop_string("label", &mut a.errors);
    r.finish(&mut a.errors);
    a.check(source, span, checks::name("variant name", &name));
    let layer = Layer::Variant { kind: V::OF, name: owner.into(), variant: name.clone() };
    let outer = std::mem::replace(&mut a.layer, layer);
    let mut variant = variants.shift_remove(&name).unwrap_or_else(|| V::new(&name));
    if let Some((label, span)) = label
        && a.check(source, span, checks::label(&label))
    {
        *variant.label_mut() = label;
    }
    variant.read_block(a, source, child);
    variants.insert(name, variant);
    a.layer = outer;
}
