"""Chart images through kaleido and Chromium: tabs are reused between images without changing a single byte."""

from __future__ import annotations

import time

import plotly.graph_objects as go
import pytest

from analysis.render import images
from tests.conftest import chromium_for_images

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def figures() -> list[go.Figure]:
    """Three different small figures (unique per call, so no cached image is reused across tests)."""
    stamp = time.time()
    return [
        go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2], name="linje"), layout=dict(title=f"A {stamp}")),
        go.Figure(go.Bar(x=["a", "b"], y=[2, 5]), layout=dict(title=f"B {stamp}")),
        go.Figure(go.Scatter(x=[1, 2], y=[5, 1], mode="markers"), layout=dict(title=f"C {stamp}")),
    ]


def render_fresh(figs: list[go.Figure]) -> tuple[bytes, ...]:
    """The figures' images rendered now (the image cache emptied first)."""
    with images._CACHE_LOCK:
        images._CACHE.clear()
    result = images.render_pngs(figs, timeout=60)
    assert result.ok, result.problem
    return result.images


@pytest.mark.usefixtures("chromium")  # skips without Chromium; fails with SEGDASH_REQUIRE_BROWSER=1
def test_reused_tabs_draw_the_same_bytes_as_reloaded_ones(monkeypatch):
    figs = figures()
    images.shutdown()
    monkeypatch.setattr(images, "RELOAD_EVERY", 1)  # kaleido's own behaviour: reload after every image
    reloaded = render_fresh(figs)
    images.shutdown()
    monkeypatch.setattr(images, "RELOAD_EVERY", 1000)
    reused = render_fresh(figs) + render_fresh(list(reversed(figs)))
    assert all(png.startswith(PNG_SIGNATURE) for png in reused)
    assert len(set(reloaded)) == 3  # three different pictures
    assert reused[:3] == reloaded
    assert reused[3:] == tuple(reversed(reloaded))  # drawing order and earlier drawings leave no trace
    assert images._RENDERER._kaleido.reloads == 0
    images.shutdown()


@pytest.mark.usefixtures("chromium")  # skips without Chromium; fails with SEGDASH_REQUIRE_BROWSER=1
def test_a_tab_is_reloaded_after_its_share_of_images(monkeypatch):
    figs = figures()
    images.shutdown()
    monkeypatch.setattr(images, "RELOAD_EVERY", 2)
    first = render_fresh(figs)
    second = render_fresh(figs)
    assert first == second
    assert images._RENDERER._kaleido.reloads >= 2  # six images over two tabs: at least two reloads
    images.shutdown()


@pytest.mark.parametrize(
    ("required", "outcome"),
    [
        ("1", pytest.fail.Exception),  # CI: a missing Chromium is a failure
        (" 1 ", pytest.fail.Exception),
        ("", pytest.skip.Exception),  # a laptop without Chromium skips the image tests
        ("0", pytest.skip.Exception),
        ("ja", pytest.skip.Exception),  # only 1 requires, as for the browser tests
    ],
)
def test_without_chromium_the_image_tests_skip_unless_a_browser_is_required(monkeypatch, required, outcome):
    monkeypatch.setenv("SEGDASH_CHROMIUM", "av")
    monkeypatch.setenv("SEGDASH_REQUIRE_BROWSER", required)
    with pytest.raises(outcome) as caught:
        chromium_for_images()
    assert "ingen Chromium för kaleido" in str(caught.value)


def test_with_chromium_the_image_tests_get_its_path(monkeypatch, tmp_path):
    browser = tmp_path / "chromium"
    browser.write_bytes(b"")
    monkeypatch.setenv("SEGDASH_CHROMIUM", str(browser))
    monkeypatch.setenv("SEGDASH_REQUIRE_BROWSER", "1")
    assert chromium_for_images() == str(browser)
