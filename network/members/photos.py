"""Profile photos: checked, resized and stripped of metadata before they are kept,
under a random name where only the photo view serves them.

An upload must be a real JPEG, PNG or WebP image (Pillow reads it; the name alone
decides nothing), its extension must match what it is, and it must stay within the
size and pixel limits below. What is kept is a re-encoded JPEG no larger than
``PROFILE_PHOTO_MAX_SIDE`` on either side, without EXIF data (which can carry the
place a photo was taken).

Being in the directory says something about a person's politics, so nothing about
a photo names its person: the file is ``profile_photos/profile-photo-<random>.jpg``
and its renditions sit next to it (ops/storage.py keeps them out of the public
image folders, on disk and on S3), the image's title is the same for everyone,
and every address leads to ``network.members.views.photo``, which asks
``network.visibility.may_see_photo`` who may have it.
"""

import io
import logging
import os
import secrets
import warnings
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from wagtail.images import get_image_model
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from ops.storage import PRIVATE_FOLDER, PRIVATE_PREFIX, is_private

log = logging.getLogger(__name__)

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


PHOTO_TITLE = "Profile photo"


def _collection():
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=COLLECTION_NAME).first()
    if collection is None:
        collection = root.add_child(name=COLLECTION_NAME)
    return collection


def _save_private(data: bytes):
    """Store JPEG bytes under a new random private name: (name, width, height)."""
    storage = get_image_model()._meta.get_field("file").storage
    name = storage.save(
        f"{PRIVATE_FOLDER}/{PRIVATE_PREFIX}{secrets.token_hex(12)}.jpg",
        ContentFile(data),
    )
    with PILImage.open(io.BytesIO(data)) as image:
        width, height = image.size
    return name, width, height


def store_photo(upload):
    """A Wagtail image in the "Profile photos" collection made from the upload,
    stored privately under a random name."""
    check_photo(upload)
    data = resized_jpeg(upload)
    name, width, height = _save_private(data)
    image = get_image_model()(
        title=PHOTO_TITLE,
        collection=_collection(),
        file=name,
        width=width,
        height=height,
        file_size=len(data),
        file_hash=hash_filelike(io.BytesIO(data)),
    )
    image.save()
    return image


def is_profile_photo(image) -> bool:
    return image is not None and (
        is_private(image.file.name) or image.collection.name == COLLECTION_NAME
    )


def make_private(image) -> bool:
    """Move a profile photo stored before photos were private (at
    ``original_images/<slug>.jpg``, readable by anyone) to a random private name.
    Its renditions, named after the old file, are deleted; Wagtail makes new ones
    on demand, in the private folder. The image keeps its id, so every person and
    revision that points at it still does. False when it was private already."""
    storage = image.file.storage
    old = image.file.name
    if is_private(old):
        return False
    with storage.open(old) as handle:
        name, _, _ = _save_private(handle.read())
    renditions = list(image.renditions.all())
    with transaction.atomic():
        image.file.name = name
        image.title = PHOTO_TITLE
        image.save(update_fields=["file", "title"])
        image.renditions.all().delete()
    # Only once the database points at the new file are the old ones removed.
    for stale in [old, *(rendition.file.name for rendition in renditions)]:
        storage.delete(stale)
    return True


def private_copy(image):
    """A private profile photo made from a library image (checked and re-encoded
    like an upload). The library image itself is left alone: it may be on a page."""
    with image.open_file() as handle:
        return store_photo(File(handle, name=os.path.basename(image.file.name)))


def secure_existing_photos() -> dict[str, int]:
    """Make every person's photo private: move the profile photos stored the old
    way, and give people whose photo is a library image a private copy. Safe to
    run again: what is private already is left alone (the release step runs it)."""
    from network.models import Person

    counts = {"moved": 0, "copied": 0, "failed": 0}
    Image = get_image_model()
    profile_photos = Image.objects.filter(collection__name=COLLECTION_NAME).exclude(
        file__startswith=PRIVATE_FOLDER + "/"
    )
    for image in profile_photos.iterator():
        if make_private(image):
            counts["moved"] += 1
    library = (
        Person.objects.filter(photo__isnull=False)
        .exclude(photo__collection__name=COLLECTION_NAME)
        .exclude(photo__file__startswith=PRIVATE_FOLDER + "/")
        .select_related("photo")
    )
    for person in library.iterator():
        try:
            copy = private_copy(person.photo)
        except (ValidationError, OSError) as error:
            # The person id only: the log must not say who is in the directory.
            log.warning("Person %s: their photo cannot be copied: %s", person.pk, error)
            counts["failed"] += 1
            continue
        # An update, not save(): the profile's version (updated_at) stays, so no
        # member's open edit is refused as stale for a change they cannot see.
        Person.objects.filter(pk=person.pk).update(photo=copy)
        counts["copied"] += 1
    return counts
