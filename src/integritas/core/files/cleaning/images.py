"""Images (JPEG, PNG, GIF, WebP) without their metadata."""

import struct
from typing import IO, Any

from PIL import Image, ImageOps, ImageSequence

from integritas.core.files.streams import UnreadableError, spool

# Images are decoded and encoded again by Pillow, so nothing but the pixels survives:
# no EXIF/XMP/IPTC, no ICC profile, no comments or text chunks. The EXIF orientation is
# applied to the pixels first, so a photo does not end up on its side. Only these keys
# of `Image.info` are passed on: they describe the picture, not its maker.
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "webp": "WEBP"}
_IMAGE_INFO_KEEP = ("transparency", "duration", "loop", "background", "disposal")
# What Pillow's decoders raise on a damaged file besides OSError and ValueError (a GIF cut
# off inside a block, say): refused like any file that cannot be read.
_DAMAGED = (IndexError, KeyError, TypeError, ZeroDivisionError, struct.error)


def _bare(frame: Image.Image) -> Image.Image:
    copy = frame.copy()
    copy.info = {key: frame.info[key] for key in _IMAGE_INFO_KEEP if key in frame.info}
    return copy


def _pictures(stream: IO[bytes], file_format: str) -> list[Image.Image]:
    with Image.open(stream, formats=[file_format]) as image:
        frames = getattr(image, "n_frames", 1)
        limit = Image.MAX_IMAGE_PIXELS
        if limit is not None and image.width * image.height * frames > limit:
            raise Image.DecompressionBombError("too many pixels")
        if frames == 1:
            return [_bare(ImageOps.exif_transpose(image))]
        # an animation: every frame, without the metadata
        return [_bare(frame) for frame in ImageSequence.Iterator(image)]


def clean_image(stream: IO[bytes], key: str) -> IO[bytes]:
    stream.seek(0)
    file_format = PILLOW_FORMATS[key]
    try:
        pictures = _pictures(stream, file_format)
    except _DAMAGED as exc:
        raise UnreadableError from exc
    out = spool()
    options: dict[str, Any] = {"format": file_format}
    if key == "jpeg":
        options["quality"] = 92
    if len(pictures) > 1:
        durations = [int(picture.info.get("duration") or 100) for picture in pictures]
        loop = int(pictures[0].info.get("loop", 0))
        options.update(save_all=True, append_images=pictures[1:], duration=durations, loop=loop)
    pictures[0].save(out, **options)
    out.seek(0)
    return out
