"""Comments and tracked changes in evidence files no longer sign them with the reporter.

Issue 3 "metadata stripped from images, PDFs and Office files"; R-WBK-7. A reporter who
marks up the evidence in Word, Excel, PowerPoint, LibreOffice or a PDF reader leaves their
name (and in Microsoft 365 their e-mail address) on every comment and change.
"""

import io
import zipfile

import pikepdf
import pytest

from integritas.core.files.cleaning import office as office_cleaning

from .samples import cleaned, ooxml

NAME = b"Jan Melder"
ADDRESS = b"jan.melder@leiderdorp.example"

WORD_PARTS = {
    "word/document.xml": (
        b'<w:document><w:body><w:ins w:id="1" w:author="Jan Melder" w:date="2026-03-01T10:00:00Z">'
        b"<w:r><w:t>De opdracht gaat naar de zwager.</w:t></w:r></w:ins></w:body></w:document>"
    ),
    "word/comments.xml": (
        b'<w:comments><w:comment w:id="0" w:author="Jan Melder" w:initials="JM" '
        b'w:date="2026-03-01T10:00:00Z"><w:p><w:r><w:t>Dit is het bewijs.</w:t></w:r></w:p>'
        b"</w:comment></w:comments>"
    ),
    "word/people.xml": (
        b'<w15:people><w15:person w15:author="Jan Melder"><w15:presenceInfo '
        b'w15:providerId="AD" w15:userId="jan.melder@leiderdorp.example"/></w15:person>'
        b"</w15:people>"
    ),
}
EXCEL_PARTS = {
    "xl/comments1.xml": (
        b"<comments><authors><author>Jan Melder</author></authors><commentList>"
        b'<comment ref="A1" authorId="0"><text><t>Bedrag klopt niet.</t></text></comment>'
        b"</commentList></comments>"
    ),
    "xl/persons/person.xml": (
        b'<personList><person displayName="Jan Melder" id="{1}" '
        b'userId="jan.melder@leiderdorp.example" providerId="AD"/></personList>'
    ),
}
POWERPOINT_PARTS = {
    "ppt/commentAuthors.xml": (
        b'<p:cmAuthorLst><p:cmAuthor id="1" name="Jan Melder" initials="JM" lastIdx="1" '
        b'clrIdx="0"/></p:cmAuthorLst>'
    ),
}


def _with_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The Office file `data` with `parts` added or replaced."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            target.writestr(name, parts.get(name, source.read(name)))
        for name, content in parts.items():
            if name not in source.namelist():
                target.writestr(name, content)
    return buffer.getvalue()


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.mark.parametrize(
    ("name", "kind", "parts", "kept"),
    [
        ("verslag.docx", "word", WORD_PARTS, [b"Dit is het bewijs.", b"zwager"]),
        ("bedragen.xlsx", "xl", EXCEL_PARTS, [b"Bedrag klopt niet.", b'authorId="0"']),
        ("dia.pptx", "ppt", POWERPOINT_PARTS, [b'lastIdx="1"']),
    ],
)
def test_office_comment_and_change_authors_are_blanked(name, kind, parts, kept):
    data = _with_parts(ooxml(kind), parts)
    result = cleaned(name, data)
    assert NAME not in result
    inside = _parts(result)
    everything = b"".join(inside.values())
    assert NAME not in everything and ADDRESS not in everything and b"JM" not in everything
    for text in kept:  # what was said stays: it may be the evidence
        assert text in everything
    assert set(parts) <= set(inside)


def test_opendocument_annotation_authors_are_blanked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr(
            "content.xml",
            "<office:document-content><office:annotation><dc:creator>Jan Melder</dc:creator>"
            "<dc:date>2026-03-01</dc:date><text:p>Zie hier.</text:p></office:annotation>"
            "<text:tracked-changes><office:change-info><dc:creator>Jan Melder</dc:creator>"
            "</office:change-info></text:tracked-changes></office:document-content>",
        )
        z.writestr("meta.xml", "<meta/>")
    content = _parts(cleaned("verslag.odt", buffer.getvalue()))["content.xml"]
    assert NAME not in content
    assert content.count(b"<dc:creator></dc:creator>") == 2 and b"Zie hier." in content


@pytest.mark.parametrize("shift", range(-40, 41, 7))
def test_names_split_across_read_chunks_are_still_found(shift):
    # Parts are rewritten as a stream; a name must not escape at a chunk boundary.
    tag = b'<w:ins w:id="2" w:author="Jan Melder">'
    filler = b"<w:t>" + b"x" * (office_cleaning._CHUNK - 5 + shift - 6) + b"</w:t>"
    data = filler + tag + b"<w:t>rest</w:t>" * 1000 + tag
    out = b"".join(office_cleaning.scrubbed(io.BytesIO(data), "word/document.xml"))
    assert NAME not in out
    assert len(out) == len(data) - 2 * len(NAME)


def test_pdf_comment_author_goes_and_form_field_names_stay():
    document = pikepdf.new()
    document.add_blank_page(page_size=(200, 100))
    note = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Text,
        Rect=[10, 10, 30, 30],
        T=pikepdf.String("Jan Melder"),
        Contents=pikepdf.String("Hier staat de fout."),
    )
    field = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Widget,
        FT=pikepdf.Name.Tx,
        Rect=[40, 10, 120, 30],
        T=pikepdf.String("bedrag"),
    )
    field = document.make_indirect(field)
    document.pages[0].obj.Annots = document.make_indirect(pikepdf.Array([note, field]))
    document.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
    buffer = io.BytesIO()
    document.save(buffer, compress_streams=False)
    with pikepdf.open(io.BytesIO(cleaned("gemarkeerd.pdf", buffer.getvalue()))) as result:
        kept_note, kept_field = result.pages[0].obj.Annots
        assert "/T" not in kept_note and str(kept_note.Contents) == "Hier staat de fout."
        assert str(kept_field.T) == "bedrag"
