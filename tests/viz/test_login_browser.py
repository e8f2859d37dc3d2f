"""The login page and the cookie in a real headless Chromium: a key logs in
through the form, and a page of a sibling site (another port of the same
host, which SameSite=Strict still counts as the same site) cannot make the
logged-in browser change data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from partnermap.access import Role, new_key
from partnermap.settings import Settings
from partnermap.store import open_store
from tests import tiny
from tests.viz._browser import serve, watched_page

pytestmark = pytest.mark.browser

UPLOAD = """async ([url, body]) => {
    const res = await fetch(url, {method: "POST", mode: "no-cors",
                                  credentials: "include", body: body});
    return res.type === "opaque" ? "opaque" : res.status;
}"""


def test_a_sibling_site_cannot_upload_with_the_login_cookie(
    browser: Any, tmp_path: Path
) -> None:
    site = f"sqlite:///{tmp_path / 'site.db'}"
    with open_store(site) as store:
        store.apply(tiny.batch())
        record, key = new_key(Role.COORDINATOR)
        store.add_api_key(record)
    sibling = f"sqlite:///{tmp_path / 'sibling.db'}"
    with open_store(sibling) as store:
        store.apply(tiny.batch())
    keys = Settings(auth_required=True)
    with serve(site, keys) as base, serve(sibling, Settings(auth_required=False)) as other, \
            watched_page(browser) as watched:
        page = watched.page
        page.goto(f"{base}/login")
        page.fill("input[name=key]", key)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/network")

        # From the sibling's page (127.0.0.1, another port) the browser sends
        # the cookie, and the server refuses the write by its Origin.
        page.goto(f"{other}/network")
        url = f"{base}/api/imports?filename=p.csv"
        page.evaluate(UPLOAD, [url, "id,name,kind\nforged-1,Forged,nonprofit\n"])
        with open_store(site) as store:
            assert store.get_stakeholder("forged-1") is None

        # From the site's own page the same request goes through.
        page.goto(f"{base}/network")
        status = page.evaluate(UPLOAD.replace('mode: "no-cors",', ""),
                               [url, "id,name,kind\nown-1,Own,nonprofit\n"])
        assert status == 200
        with open_store(site) as store:
            assert store.get_stakeholder("own-1") is not None
