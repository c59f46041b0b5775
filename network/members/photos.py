"""Profile photos: checked, resized and stripped of metadata before they are kept.

An upload must be a real JPEG, PNG or WebP image (Pillow reads it; the name alone
decides nothing), its extension must match what it is, and it must stay within the
size and pixel limits below. What is kept is a re-encoded JPEG no larger than
``PROFILE_PHOTO_MAX_SIDE`` on either side, without EXIF data (which can carry the
place a photo was taken).
"""

import io
import warnings
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

FORMATS_BY_EXTENSION = {
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "png": "PNG",
    "webp": "WEBP",
}
COLLECTION_NAME = "Profile photos"


def _limit(name, default):
    return getattr(settings, name, default)


def check_photo(upload) -> None:
    """Raise ValidationError with a message a member can act on."""
    max_bytes = _limit("PROFILE_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
    max_pixels = _limit("PROFILE_PHOTO_MAX_PIXELS", 25_000_000)
    extension = Path(upload.name or "").suffix.lower().lstrip(".")
    if extension not in FORMATS_BY_EXTENSION:
        raise ValidationError(
            "Upload a JPEG, PNG or WebP photo (.jpg, .png or .webp).",
            code="extension",
        )
    if upload.size > max_bytes:
        raise ValidationError(
            f"The photo is too large: at most {max_bytes // (1024 * 1024)} MB.",
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(upload) as image:
                width, height = image.size
                actual = image.format
                if width * height > max_pixels:
                    raise ValidationError(
                        "The photo has too many pixels: make it smaller first.",
                        code="too_many_pixels",
                    )
                image.verify()
    except (
        PILImage.DecompressionBombError,
        PILImage.DecompressionBombWarning,
    ) as error:
        raise ValidationError(
            "The photo has too many pixels: make it smaller first.",
            code="too_many_pixels",
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            "This file is not an image we can read.", code="not_an_image"
        ) from error
    finally:
        upload.seek(0)
    if actual != FORMATS_BY_EXTENSION[extension]:
        raise ValidationError(
            f"The file says .{extension} but is a {actual or 'different'} image.",
            code="extension_mismatch",
        )


def resized_jpeg(upload) -> bytes:
    """The photo, upright, at most PROFILE_PHOTO_MAX_SIDE square, as a bare JPEG."""
    side = _limit("PROFILE_PHOTO_MAX_SIDE", 800)
    upload.seek(0)
    with PILImage.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((side, side))
        if image.mode != "RGB":
            background = PILImage.new("RGB", image.size, "white")
            rgba = image.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            image = background
        out = io.BytesIO()
        image.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def store_photo(upload, *, person):
    """A Wagtail image in the "Profile photos" collection made from the upload."""
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    check_photo(upload)
    data = resized_jpeg(upload)
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=COLLECTION_NAME).first()
    if collection is None:
        collection = root.add_child(name=COLLECTION_NAME)
    Image = get_image_model()
    image = Image(title=f"Photo of {person.name}", collection=collection)
    image.file = ImageFile(io.BytesIO(data), name=f"{person.slug or 'person'}.jpg")
    image.save()
    return image


def is_profile_photo(image) -> bool:
    return image is not None and image.collection.name == COLLECTION_NAME
