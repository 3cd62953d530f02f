"""Static files in production: WhiteNoise's compressed, content-hashed storage (far-future cache
headers, gzip), forgiving one thing. Packages installed from npm reference files we do not
collect or they do not ship (Tabler's payment-logo stylesheets name its sample images, which
are not collected; source maps are often missing); Django's manifest storage refuses the whole
`collectstatic` for that. Here a reference from a third-party file (under `vendor/`) to a file
that is not there is left as written — nothing of ours uses it, and a browser asking for it gets
a 404 — and everything else is hashed as usual. A missing file referenced by our own static
files still fails the collection."""

from __future__ import annotations

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class StaticStorage(CompressedManifestStaticFilesStorage):
    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError as exc:  # whitenoise's MissingFileError is a ValueError
            if content is not None or not name.strip().startswith("vendor/"):
                raise
            logger.info("static file reference left unhashed: %s (%s)", name, exc)
            return name
