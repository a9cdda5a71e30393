"""What cached parts are keyed by besides their data's version."""

from ibsu.lib.cache_keys import code_fingerprint


def test_the_fingerprint_follows_templates_and_translations(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    (tmp_path / "templates").mkdir()
    (tmp_path / "locale" / "id" / "LC_MESSAGES").mkdir(parents=True)
    template = tmp_path / "templates" / "page.html"
    catalogue = tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.mo"
    template.write_text("<p>{{ amount }}</p>")
    catalogue.write_bytes(b"one")

    def fingerprint() -> str:
        code_fingerprint.cache_clear()
        return code_fingerprint()

    try:
        first = fingerprint()
        assert fingerprint() == first
        template.write_text("<p class='num'>{{ amount }}</p>")
        second = fingerprint()
        catalogue.write_bytes(b"two")
        third = fingerprint()
    finally:
        code_fingerprint.cache_clear()

    assert len({first, second, third}) == 3
