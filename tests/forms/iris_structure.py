"""A check of an IRIS XML transmission against ``data/iris_1099r_structure.yaml``: the
structure of the IRIS A2A transmission of Forms 1099-R that this project derived from public
sources (named in the file; not the IRS's schema, which is distributed to TCC holders only).

Every element's children must come in the structure's order, each no more often than it may
repeat, with the required ones present (one of a choice), and every leaf's text must match its
type (amounts as dollars and cents, check boxes 0 or 1, codes from their enumerations)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

STRUCTURE = yaml.safe_load((Path(__file__).parent / "data" / "iris_1099r_structure.yaml")
                           .read_text(encoding="utf-8"))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _names(spec: dict) -> set[str]:
    """The element names a child specification admits (a choice admits any of its options)."""
    return {o["name"] for o in spec["children"]} if spec.get("choice") else {spec["name"]}


def _option(spec: dict, name: str) -> dict:
    return next(o for o in spec["children"] if o["name"] == name) if spec.get("choice") else spec


def _leaf(el: ET.Element, spec: dict, where: str) -> list[str]:
    kind = STRUCTURE["types"][spec["type"]]
    text = el.text or ""
    ok = text in kind if isinstance(kind, list) else re.fullmatch(kind, text) is not None
    return [] if ok else [f"{where}: {text!r} is not a {spec['type']}"]


def problems(el: ET.Element, spec: dict | None = None, where: str = "") -> list[str]:
    """Every way ``el`` (and what it holds) departs from ``spec`` (the root by default)."""
    spec = spec or STRUCTURE["root"]
    where = f"{where}/{_local(el.tag)}"
    if el.tag != f"{{{STRUCTURE['namespace']}}}{_local(el.tag)}":
        return [f"{where}: not in the namespace {STRUCTURE['namespace']}"]
    if "children" not in spec:
        return [f"{where}: has children"] if len(el) else _leaf(el, spec, where)
    out: list[str] = []
    specs, at, seen = spec["children"], 0, [0] * len(spec["children"])
    for child in el:
        name = _local(child.tag)
        k = next((i for i in range(at, len(specs)) if name in _names(specs[i])), None)
        if k is None:
            out.append(f"{where}: {name} is not allowed here (unknown or out of order)")
            continue
        at, seen[k] = k, seen[k] + 1
        if seen[k] > specs[k].get("repeat", 1):
            out.append(f"{where}: {name} more than {specs[k].get('repeat', 1)} times")
        out += problems(child, _option(specs[k], name), where)
    out += [f"{where}: {' or '.join(sorted(_names(s)))} missing"
            for s, n in zip(specs, seen, strict=True) if s.get("required") and not n]
    return out
