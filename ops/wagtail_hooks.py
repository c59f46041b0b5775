"""Snippet edits in the admin change public pages (a person's profile, a group):
purge the page cache after each."""

from wagtail import hooks

from .pagecache import purge_public_pages


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def purge_after_snippet_change(request, instance):
    purge_public_pages()
