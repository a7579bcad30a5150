"""Chinese by default whatever the browser says; English when chosen; committed translations."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
EN_MO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"
ZH_PO = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"

ADMIN_TITLE_ZH = "伙伴 Huoban 管理后台"
ADMIN_TITLE_EN = "Huoban admin"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_middleware_runs_directly_before_locale_middleware():
    mw = settings.MIDDLEWARE
    i = mw.index("django.middleware.locale.LocaleMiddleware")
    assert mw[i - 1] == "huoban.core.middleware.DefaultLanguageMiddleware"


@pytest.mark.django_db
def test_admin_login_is_chinese_for_an_english_browser(client):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert ADMIN_TITLE_ZH in html
    assert "登录" in html  # Django's own zh_Hans translation of "Log in"
    assert "Log in" not in html


@pytest.mark.django_db
def test_admin_login_is_english_with_the_language_cookie(client):
    _english(client)
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "Log in" in html
    assert ADMIN_TITLE_EN in html
    assert ADMIN_TITLE_ZH not in html


@pytest.mark.django_db
def test_landing_page_in_english(client):
    _english(client)
    html = client.get("/", follow=True).content.decode()  # "/" → the login page
    assert "Admin back office" in html
    assert "管理后台" not in html
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_language_switch_sets_the_cookie_and_wins(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN", follow=True).content.decode()
    assert "Admin back office" in html


@pytest.mark.django_db
def test_chinese_when_chosen_even_if_english_is_the_default(client, settings, monkeypatch):
    """With HUOBAN_LANGUAGE=en, Chinese must not fall back to the English catalogue."""
    from django.utils.translation import trans_real

    monkeypatch.setattr(trans_real, "_translations", {})  # catalogues cache their fallback
    settings.LANGUAGE_CODE = "en"
    assert "Admin back office" in client.get("/", follow=True).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get("/admin/login/").content.decode()
    assert ADMIN_TITLE_ZH in html
    assert "登录" in html


def _po_entries(path: Path) -> dict[str, str]:
    """msgid → msgstr of every non-header entry (singular forms; the catalogue has no plurals).
    An entry with a context is keyed "context\x04msgid", as gettext stores it."""
    entries: dict[str, str] = {}
    fuzzy = False
    current: dict[str, list[str]] = {}
    key = ""

    def flush() -> None:
        if "msgid" in current and "msgstr" in current:
            msgid = "".join(current["msgid"])
            if msgid:
                assert not fuzzy, f"fuzzy entry left in {path.name}: {msgid!r}"
                if "msgctxt" in current:
                    msgid = "".join(current["msgctxt"]) + "\x04" + msgid
                entries[msgid] = "".join(current["msgstr"])

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            flush()
            current, key, fuzzy = {}, "", False
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgctxt ", "msgid ", "msgstr ")):
            key, _, rest = line.partition(" ")
            current[key] = [ast.literal_eval(rest)]
        elif line.startswith('"') and key:
            current[key].append(ast.literal_eval(line))
    flush()
    return entries


def test_every_msgid_has_an_english_msgstr():
    entries = _po_entries(EN_PO)
    assert len(entries) > 100
    empty = [msgid for msgid, msgstr in entries.items() if not msgstr.strip()]
    assert empty == []
    # Language names stay in their own language in the switcher; everything else is English.
    untranslated = [
        msgid
        for msgid, msgstr in entries.items()
        if CJK.search(msgstr) and msgid not in {"简体中文"}
    ]
    assert untranslated == []
    assert entries[ADMIN_TITLE_ZH] == ADMIN_TITLE_EN


def test_zh_hans_catalogue_repeats_every_msgid():
    """msgstr = msgid for every string (run makemessages -l en -l zh_Hans together)."""
    zh = _po_entries(ZH_PO)
    assert set(zh) == set(_po_entries(EN_PO))
    repeated = {msgid: msgid.rpartition("\x04")[2] for msgid in zh}  # without the context
    assert {msgid: msgstr for msgid, msgstr in zh.items() if msgstr != repeated[msgid]} == {}


@pytest.mark.parametrize("po", [EN_PO, ZH_PO], ids=["en", "zh_Hans"])
def test_compiled_mo_matches_the_po(po):
    """The committed .mo is compiled from the committed .po (re-run compilemessages if not)."""
    with po.with_suffix(".mo").open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    stale = {
        msgid: msgstr
        for msgid, msgstr in _po_entries(po).items()
        if catalogue.gettext(msgid) != msgstr
    }
    assert stale == {}


def test_compiled_english_translates_known_strings():
    with EN_MO.open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    assert catalogue.gettext("合作伙伴") == "Partner"
    assert catalogue.gettext("管理后台") == "Admin back office"
    assert catalogue.gettext(ADMIN_TITLE_ZH) == ADMIN_TITLE_EN
