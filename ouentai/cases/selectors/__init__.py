"""Reads of the case library: ``public`` for every public output (the only way a public page, the
search index, a feed, the sitemap or a tag may read a case), ``console`` for staff pages, ``sources``
for what a case is prefilled from."""
