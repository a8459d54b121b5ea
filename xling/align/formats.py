"""Alignments in the formats translators' tools read: TMX 1.4 and Vecalign's `[i]:[j]:score`.

TMX (translation memory exchange, LISA 1.4b): one <tu> per link with both sides, the
English and Arabic sentences of the link joined by a space, and the link's score, report,
sentence ids and moved flag as <prop type="x-...">. Omissions and additions have no
translation unit. Vecalign: one line per link, e.g. `[0, 1]:[0]:0.8123`, omissions as
`[i]:[]:0.0`, additions `[]:[j]:0.0`; English ids are the flat ids of Alignment.en (reports
concatenated). Its third field is our score (higher is better), where Vecalign writes a cost;
Vecalign's own scorer reads only the first two.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from xling import __version__

if TYPE_CHECKING:  # numpy stays unimported until an alignment is made
    from xling.align.sentences import Alignment

FORMATS = ("json", "tmx", "vecalign")
SUFFIX = {"json": ".align.json", "tmx": ".tmx", "vecalign": ".vecalign"}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def to_vecalign(alignment: Alignment) -> str:
    lines = []
    for link in alignment.links:
        en = ", ".join(str(i) for i in link.en)
        ar = ", ".join(str(j) for j in link.ar)
        lines.append(f"[{en}]:[{ar}]:{link.score:.4f}")
    return "\n".join(lines) + "\n" if lines else ""


def to_tmx(alignment: Alignment) -> str:
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "xling",
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": "xling-align",
            "adminlang": "en",
            "srclang": "en",
            "datatype": "plaintext",
        },
    )
    body = ET.SubElement(root, "body")
    names = {r.index: r.name for r in alignment.reports}
    for link in alignment.links:
        if not (link.en and link.ar):
            continue
        tu = ET.SubElement(body, "tu")
        props = {
            "x-score": f"{link.score:.4f}",
            "x-report": str(link.report),
            "x-en-ids": " ".join(str(i) for i in link.en),
            "x-ar-ids": " ".join(str(j) for j in link.ar),
            "x-moved": "true" if link.moved else "false",
        }
        if names.get(link.report):
            props["x-report-file"] = names[link.report]
        for kind, value in props.items():
            ET.SubElement(tu, "prop", type=kind).text = value
        for lang, ids, side in (("en", link.en, alignment.en), ("ar", link.ar, alignment.ar)):
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = " ".join(side[i].text for i in ids)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def render(alignment: Alignment, fmt: str) -> str:
    if fmt == "tmx":
        return to_tmx(alignment)
    if fmt == "vecalign":
        return to_vecalign(alignment)
    return json.dumps(alignment.to_json(), ensure_ascii=False, indent=1) + "\n"
