"""Handing a stored file to a browser: always as a download, never shown in the page."""

from collections.abc import Iterator

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header


def download_response(
    chunks: Iterator[bytes], *, filename: str, size: int
) -> StreamingHttpResponse:
    """A streaming download of `chunks` (decrypted as they go) under `filename`.

    `application/octet-stream` with `Content-Disposition: attachment`, nosniff and a
    sandboxing CSP, so no browser renders or runs the file; never cached.
    """
    response = StreamingHttpResponse(chunks, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
