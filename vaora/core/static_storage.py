"""Static files with their content's hash in the name once collected (`vaora collectstatic`):
`core/vaora.css` is served as `core/vaora.3f2a….css`, compressed (gzip, brotli), and WhiteNoise
tells browsers to keep it for a year, immutable — a release changes the name, not the file.
Without a collected manifest (development, tests, an installation that skipped collectstatic)
the plain names are used and the apps' own folders serve them."""

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedWhenCollected(CompressedManifestStaticFilesStorage):
    manifest_strict = False  # a file added after collectstatic is served under its plain name

    def url(self, name, force=False):
        if not self.hashed_files:  # nothing collected: the plain name, served by the finders
            return StaticFilesStorage.url(self, name)
        try:
            return super().url(name, force)
        except ValueError:  # new in this release and not collected yet: a page must not fail
            return StaticFilesStorage.url(self, name)
