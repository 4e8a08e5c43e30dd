"""Uploaded annexes reach other delegations' packs without anything that acts.

A delegation's PDF can carry actions that run or reach out when the reader
opens a page or clicks: launching a program, opening a URL, JavaScript,
submitting or importing form data, opening other files, named viewer
commands. In a pack only internal links may survive: a ``/GoTo`` (or a plain
``/Dest``) to a page of the same annex, pointed at that page's place in the
pack and stripped of any chained ``/Next``. Everything else that acts is removed
from the annex's pages as they are inserted: page and annotation ``/AA``,
annotation ``/A`` other than such a link, form widgets' field actions,
annotation kinds that are only carriers (file attachments, sounds, movies,
screens, rich media, 3D). The catalog's ``/OpenAction``, ``/AA``, JavaScript
name tree, embedded files and form scripts are never copied from an annex
(only its pages are); the pack's own catalog is cleaned of them too, so none
can come in by another road.
"""

from __future__ import annotations

from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Annotations whose only purpose is to carry content or behaviour.
CARRIER_ANNOTATIONS = frozenset(
    {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
)
CATALOG_ACTIONS = ("/OpenAction", "/AA")
CATALOG_NAME_TREES = ("/JavaScript", "/EmbeddedFiles")
# Form fields' actions sit on the field, which may be the widget's parent (or grandparent).
MAX_FIELD_DEPTH = 32


def annex_insert(writer: PdfWriter, annex: PdfReader, *, start: int) -> None:
    """Insert ``annex``'s pages at ``start``, disarmed; its internal links follow its pages."""
    numbers = {
        page.indirect_reference.idnum: index
        for index, page in enumerate(annex.pages)
        if page.indirect_reference is not None
    }
    # Destinations are read on the annex's side, where its pages are known for sure.
    targets = [
        [_targets(reference, numbers) for reference in _annotations(page)] for page in annex.pages
    ]
    inserted = [writer.insert_page(page, start + offset) for offset, page in enumerate(annex.pages)]
    pages = [page.indirect_reference for page in inserted]
    for page, page_targets in zip(inserted, targets, strict=True):
        page.pop(NameObject("/AA"), None)
        kept = ArrayObject()
        for reference, (action_target, dest_target) in zip(
            _annotations(page), page_targets, strict=True
        ):
            annotation = reference.get_object()
            if not isinstance(annotation, DictionaryObject):
                continue
            if annotation.get("/Subtype") in CARRIER_ANNOTATIONS:
                continue
            _annotation_disarm(
                annotation,
                action_target=None if action_target is None else pages[action_target],
                dest_target=None if dest_target is None else pages[dest_target],
            )
            kept.append(reference)
        if "/Annots" in page:
            page[NameObject("/Annots")] = kept


def _annotations(page: PageObject) -> list[Any]:
    annotations = page.get("/Annots")
    annotations = annotations.get_object() if annotations is not None else None
    return list(annotations) if isinstance(annotations, ArrayObject) else []


def _targets(reference: Any, numbers: dict[int, int]) -> tuple[int | None, int | None]:
    """The annex page numbers an annotation's /GoTo and /Dest lead to (None: elsewhere)."""
    annotation = reference.get_object()
    if not isinstance(annotation, DictionaryObject):
        return None, None
    action = annotation.get("/A")
    action = action.get_object() if action is not None else None
    action_target = None
    if isinstance(action, DictionaryObject) and action.get("/S") == "/GoTo":
        action_target = _page_number(action.get("/D"), numbers)
    return action_target, _page_number(annotation.get("/Dest"), numbers)


def _page_number(destination: Any, numbers: dict[int, int]) -> int | None:
    """The annex page of an explicit destination; names would not resolve in a pack."""
    destination = destination.get_object() if destination is not None else None
    if not isinstance(destination, ArrayObject) or not destination:
        return None
    target = destination[0]
    return numbers.get(target.idnum) if isinstance(target, IndirectObject) else None


def _annotation_disarm(
    annotation: DictionaryObject,
    *,
    action_target: IndirectObject | None,
    dest_target: IndirectObject | None,
) -> None:
    annotation.pop(NameObject("/AA"), None)
    if "/A" in annotation:
        action = annotation["/A"].get_object()
        if action_target is not None and isinstance(action, DictionaryObject):
            # Only the jump itself: a chained /Next could run anything after it.
            annotation[NameObject("/A")] = DictionaryObject(
                {
                    NameObject("/S"): NameObject("/GoTo"),
                    NameObject("/D"): _retarget(action["/D"], action_target),
                }
            )
        else:
            del annotation[NameObject("/A")]
    if "/Dest" in annotation:
        if dest_target is not None:
            annotation[NameObject("/Dest")] = _retarget(annotation["/Dest"], dest_target)
        else:
            del annotation[NameObject("/Dest")]
    parent = annotation.get("/Parent")
    for _ in range(MAX_FIELD_DEPTH):
        if parent is None:
            break
        field = parent.get_object()
        if not isinstance(field, DictionaryObject):
            break
        field.pop(NameObject("/AA"), None)
        field.pop(NameObject("/A"), None)
        parent = field.get("/Parent")


def _retarget(destination: Any, page: IndirectObject) -> ArrayObject:
    return ArrayObject([page, *list(destination.get_object())[1:]])


def catalog_disarm(writer: PdfWriter) -> None:
    """Remove document-level actions, scripts and attachments from the pack's catalog."""
    root = writer.root_object
    for key in CATALOG_ACTIONS:
        root.pop(NameObject(key), None)
    names = root.get("/Names")
    if names is not None:
        names = names.get_object()
        for key in CATALOG_NAME_TREES:
            names.pop(NameObject(key), None)
    form = root.get("/AcroForm")
    if form is not None:
        form = form.get_object()
        form.pop(NameObject("/XFA"), None)
        for reference in form.get("/Fields", ArrayObject()):
            field = reference.get_object()
            if isinstance(field, DictionaryObject):
                field.pop(NameObject("/AA"), None)
                field.pop(NameObject("/A"), None)
