"""Make one self-contained JSON schema per Kubernetes kind bench exports.

Input: the `kubernetes-json-schema/v1.37.0-local-strict` folder of the PyPI package
kubernetes-validate 1.37.0 (`pip download --no-deps kubernetes-validate==1.37.0`, unzip).
Its kind files refer to a shared `/api/_definitions.json` (1.8 MB); this keeps only the
definitions each kind reaches and points the references inside the file, so the tests need
no resolver and the repository no unused megabytes.

    python3 schemas/vendor/kubernetes/extract.py DIR schemas/vendor/kubernetes
"""

import json
import sys
from pathlib import Path

PREFIX = "/api/_definitions.json#/$defs/"
KINDS = ["job-batch-v1", "persistentvolumeclaim-v1"]


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def local(node):
    if isinstance(node, dict):
        return {
            k: (v.replace(PREFIX, "#/$defs/") if k == "$ref" and isinstance(v, str) else local(v))
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [local(v) for v in node]
    return node


def main(source, target):
    source, target = Path(source), Path(target)
    defs = json.loads((source / "_definitions.json").read_text())["$defs"]
    for kind in KINDS:
        schema = json.loads((source / f"{kind}.json").read_text())
        wanted, todo = {}, [r for r in refs(schema)]
        while todo:
            ref = todo.pop()
            name = ref.removeprefix(PREFIX).removeprefix("#/$defs/")
            if name in wanted or name == ref:
                continue
            wanted[name] = defs[name]
            todo.extend(refs(defs[name]))
        schema = local(schema)
        schema["$defs"] = local(dict(sorted(wanted.items())))
        (target / f"{kind}.json").write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:])
