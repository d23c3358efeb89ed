"""The accessibility check itself: it reports serious violations, so a clean page means something."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.e2e.accessibility import assert_accessible, violations

pytestmark = pytest.mark.browser


def test_the_check_names_an_unlabelled_input_and_an_image_without_text(browser: Browser) -> None:
    page = browser.new_page()
    page.set_content(
        '<html lang="en"><title>t</title><body><main><img src="a.png">'
        '<input type="text" name="q"></main></body></html>'
    )
    assert {v["id"] for v in violations(page)} >= {"image-alt", "label"}
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page, "a bad page")
    page.close()
