"""Browser journeys: the real pages, driven in Debian's chromium through Playwright."""
