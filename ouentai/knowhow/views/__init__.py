"""The know-how library's pages: ``console`` (staff of every implementing organization), ``public``
(/knowhow/, public items only) and ``external`` (experts and partners, signed in to /network/)."""
