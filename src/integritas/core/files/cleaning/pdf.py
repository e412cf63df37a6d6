"""PDFs without their document information, XMP metadata and annotation authors."""

import io
from typing import IO, Any, BinaryIO, cast

import pikepdf

from integritas.core.files.streams import UnreadablePdfError, spool


def _annotation_authors_removed(page: Any) -> None:
    """A comment or highlight in a PDF carries its author's name in `/T`; a form field
    uses `/T` for the field's name, so widgets keep it."""
    for annotation in page.get("/Annots", None) or []:
        if not isinstance(annotation, pikepdf.Dictionary):
            continue
        if annotation.get("/Subtype") != pikepdf.Name.Widget and "/T" in annotation:
            del annotation.T


def clean_pdf(stream: IO[bytes]) -> IO[bytes]:
    """The PDF saved again by pikepdf without its document information and XMP metadata.

    The document information dictionary (`/Info`: author, creator tool, dates) and the XMP
    packet of the catalogue go, and so do the XMP packets and application data
    (`/PieceInfo`) of the pages, also when they sat in compressed object streams: pikepdf
    writes only the objects that are still referenced. Annotations lose their author.
    """
    stream.seek(0)
    data = stream.read()  # bounded by the attachment limit
    try:
        with pikepdf.open(io.BytesIO(data)) as document:
            if "/Info" in document.trailer:
                del document.trailer.Info
            if "/Metadata" in document.Root:
                del document.Root.Metadata
            for page in document.pages:
                for key in ("/Metadata", "/PieceInfo"):
                    if key in page.obj:
                        del page.obj[key]
                _annotation_authors_removed(page.obj)
            out = spool()
            document.save(cast(BinaryIO, out))
    except (pikepdf.PdfError, pikepdf.PasswordError) as exc:
        raise UnreadablePdfError from exc
    out.seek(0)
    return out
