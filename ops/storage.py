"""Media storage that keeps profile photos out of the folders anyone may read.

Image originals (``original_images/``) and renditions (``images/``) are public:
with media on local disk the site serves them to anyone (``ops.views.media_image``),
and on S3 the bucket policy lets anyone read those two prefixes. A profile photo
tells who is in the network, so it is kept under ``PRIVATE_FOLDER``, which neither
reaches, and its address is the member area's photo view, which serves it only to
those the visibility policy lets see the person (``network.members.views.photo``).

``network/members/photos.py`` saves a photo's original there itself, under a
random name that starts with ``PRIVATE_PREFIX``. Wagtail makes renditions later,
on demand, naming each after its original (``images/<original>.<filter>.jpg``),
so ``placed_name`` sends a file in ``images/`` whose name carries the prefix to
``PRIVATE_FOLDER`` as well. A library upload that happens to be named with the
prefix is renamed instead, so an editor's image never becomes private by accident.

Both storage classes below are the same rule on Django's two media backends:
``FileSystemMediaStorage`` (local disk) and ``S3MediaStorage`` (django-storages).
"""

import posixpath

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

PRIVATE_FOLDER = "profile_photos"
PRIVATE_PREFIX = "profile-photo-"
PUBLIC_IMAGE_FOLDERS = ("original_images", "images")


def placed_name(name: str) -> str:
    """Where a file Wagtail (or anyone) asks to store as ``name`` is put."""
    folder, base = posixpath.split(name)
    if not base.startswith(PRIVATE_PREFIX):
        return name
    if folder == "images":  # a rendition of a profile photo
        return posixpath.join(PRIVATE_FOLDER, base)
    if folder == "original_images":  # an editor's upload, named by chance
        return posixpath.join(folder, "image-" + base)
    return name


def is_private(name: str) -> bool:
    return name.startswith(PRIVATE_FOLDER + "/")


class PrivatePhotosMixin:
    def get_available_name(self, name, max_length=None):
        return super().get_available_name(placed_name(name), max_length=max_length)

    def url(self, name, *args, **kwargs):
        if is_private(name):
            return reverse("members:photo", args=[posixpath.basename(name)])
        return super().url(name, *args, **kwargs)


class FileSystemMediaStorage(PrivatePhotosMixin, FileSystemStorage):
    pass


try:
    from storages.backends.s3 import S3Storage
except (ImportError, ImproperlyConfigured):
    # The optional "s3" extra (boto3) is not installed: django-storages says so
    # with ImproperlyConfigured, and media stays on local disk.
    S3Storage = None

if S3Storage is not None:

    class S3MediaStorage(PrivatePhotosMixin, S3Storage):
        pass
