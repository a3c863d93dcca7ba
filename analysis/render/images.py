"""Charts of the deck model as plotly figures, and plotly figures as PNG images (kaleido + Chromium).

Rendering needs a Chromium: kaleido 1.x drives one through choreographer. Starting it and loading
plotly.js takes a few seconds, so one renderer is kept per process (a daemon thread with its own
event loop) and started ahead of time with `warm_up()`; every call has a timeout. Without a
Chromium, or when rendering fails or times out, `render_pngs` says why instead of raising, and the
documents fall back to tables. SEGDASH_CHROMIUM names the browser (or `av` to never render);
otherwise BROWSER_PATH, `chromium` on PATH and /usr/bin/chromium are tried.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from analysis.core.digest import sha256_hex
from analysis.render.charts import SLIDE_CHART_HEIGHT, chart_figure
from analysis.viewmodels.slides import ChartData

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
DISABLED = {"0", "av", "off", "nej", "no", "false", "none"}
# One export's rendering (the first one includes starting Chromium) may take at most this long.
DEFAULT_TIMEOUT_S = 25.0
# A single image may take at most this long inside Chromium.
IMAGE_TIMEOUT_S = 10.0
WIDTH, HEIGHT, SCALE = 900, SLIDE_CHART_HEIGHT, 2.0
# Two browser tabs render two images at a time (about a quarter faster on two cores than one tab).
TABS = 2
CACHE_SIZE = 128
# kaleido reloads a tab (and with it all of plotly.js) after every image, which is most of an image's cost. A tab is
# reused this many times before it is reloaded; images are the same byte for byte (tests/test_images.py).
RELOAD_EVERY = 50

NO_CHROMIUM = "ingen Chromium finns på servern"
TIMED_OUT = "det tog för lång tid"
FAILED = "Chromium kunde inte rita dem"

# choreographer logs every closed pipe as an error with a traceback; failures reach the caller anyway.
for _name in ("choreographer", "kaleido", "logistro"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


# --- the browser -----------------------------------------------------------------------------------------------


def chromium_path() -> str | None:
    """The Chromium used for images: SEGDASH_CHROMIUM, BROWSER_PATH, `chromium` on PATH, /usr/bin/chromium."""
    explicit = os.environ.get("SEGDASH_CHROMIUM", "").strip()
    if explicit:
        if explicit.lower() in DISABLED:
            return None
        return explicit if Path(explicit).is_file() else None
    for candidate in (
        os.environ.get("BROWSER_PATH", "").strip(),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        *CHROMIUM_CANDIDATES,
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def timeout_seconds() -> float:
    """The time one export may spend on images: SEGDASH_CHART_TIMEOUT seconds, default 25."""
    raw = os.environ.get("SEGDASH_CHART_TIMEOUT", "").strip()
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT_S
    except ValueError:
        return DEFAULT_TIMEOUT_S


def reusing_kaleido() -> type:
    """kaleido.Kaleido with tabs reloaded every RELOAD_EVERY images instead of after each one."""
    import kaleido

    class ReusingKaleido(kaleido.Kaleido):
        """Puts a tab back without reloading it, except every RELOAD_EVERY uses (bounds what a page accumulates)."""

        reloads = 0

        async def _return_kaleido_tab(self, tab) -> None:
            """Back to the queue; reloaded first when it has drawn RELOAD_EVERY images since the last reload."""
            uses = getattr(tab, "_segdash_uses", 0) + 1
            if uses >= RELOAD_EVERY:
                uses = 0
                self.reloads += 1
                await tab.reload()
            tab._segdash_uses = uses
            await self.tabs_ready.put(tab)

    return ReusingKaleido


class Renderer:
    """A kaleido browser running in a daemon thread's event loop, shared by every session of the process."""

    def __init__(self, path: str) -> None:
        """Start the thread and its event loop (the browser itself starts on first use or warm_up)."""
        self.path = path
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="segdash-kaleido", daemon=True)
        self.thread.start()
        self._kaleido = None
        self._opening: concurrent.futures.Future | None = None
        self._lock = threading.Lock()

    async def _open(self):
        """Start Chromium and load plotly.js (runs in the renderer's loop)."""
        k = reusing_kaleido()(path=self.path, mathjax=False, timeout=IMAGE_TIMEOUT_S, n=TABS)
        await k.open()
        self._kaleido = k
        return k

    def start(self) -> concurrent.futures.Future:
        """Start the browser in the background if it is not started (returns the opening future)."""
        with self._lock:
            if self._opening is None:
                self._opening = asyncio.run_coroutine_threadsafe(self._open(), self.loop)
            return self._opening

    async def _render(self, figures: Sequence[dict], width: int, height: int, scale: float) -> list[bytes]:
        """Every figure as PNG bytes, one after the other."""
        k = self._kaleido
        opts = dict(format="png", width=width, height=height, scale=scale)
        return [await k.calc_fig(fig, opts=opts) for fig in figures]

    async def _open_then_render(
        self, opening: concurrent.futures.Future, figures: Sequence[dict], width: int, height: int, scale: float
    ) -> list[bytes]:
        """Wait for the browser, then render (runs in the renderer's loop)."""
        await asyncio.wrap_future(opening)
        return await self._render(figures, width, height, scale)

    def submit(self, figures: Sequence[dict], width: int, height: int, scale: float) -> concurrent.futures.Future:
        """Start rendering figure dicts to PNG bytes in the background (the browser is started if needed)."""
        opening = self.start()
        return asyncio.run_coroutine_threadsafe(
            self._open_then_render(opening, figures, width, height, scale), self.loop
        )

    def close(self, timeout: float = 10.0) -> None:
        """Close the browser and stop the loop."""
        try:
            if self._kaleido is not None:
                asyncio.run_coroutine_threadsafe(self._kaleido.close(), self.loop).result(timeout=timeout)
        except BaseException:  # noqa: BLE001 - closing is best effort
            pass
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)


_RENDERER: Renderer | None = None
_RENDERER_LOCK = threading.Lock()
_CACHE: OrderedDict[str, bytes] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def shared_renderer(path: str) -> Renderer:
    """The process-wide renderer for a browser path (a new one when the path changed)."""
    global _RENDERER
    with _RENDERER_LOCK:
        if _RENDERER is None or _RENDERER.path != path:
            if _RENDERER is not None:
                _RENDERER.close()
            _RENDERER = Renderer(path)
        return _RENDERER


def shutdown() -> None:
    """Close the shared renderer (at exit, and after a failure so the next export starts afresh)."""
    global _RENDERER
    with _RENDERER_LOCK:
        renderer, _RENDERER = _RENDERER, None
    if renderer is not None:
        renderer.close()


atexit.register(shutdown)


def warm_up() -> bool:
    """Start the shared browser in the background so the first export is fast; False without Chromium."""
    path = chromium_path()
    if path is None:
        return False
    shared_renderer(path).start()
    return True


@dataclass(frozen=True)
class Rendered:
    """The images of some charts, or why there are none ('' when all were rendered)."""

    images: tuple[bytes, ...]
    problem: str = ""

    @property
    def ok(self) -> bool:
        """True when every chart has an image."""
        return not self.problem


def _cache_key(spec: dict, width: int, height: int, scale: float) -> str:
    """A key for a figure's PNG: the hash of its JSON (the plain dict, not validated again) and the image size."""
    text = pio.to_json(spec, validate=False)
    return sha256_hex(f"{width}x{height}@{scale}:{text}")


class PendingRender:
    """Images being rendered in the background: `result()` waits for them until the deadline."""

    def __init__(
        self,
        keys: list[str],
        cached: dict[str, bytes],
        jobs: dict[str, concurrent.futures.Future],
        deadline: float,
        problem: str = "",
    ) -> None:
        """Remember what is cached, what is being rendered and until when to wait."""
        self.keys, self.cached, self.jobs = keys, cached, jobs
        self.deadline, self.problem = deadline, problem

    def result(self) -> Rendered:
        """The images (in the order of the figures), or none and the reason."""
        if self.problem:
            return Rendered((), self.problem)
        try:
            for key, job in self.jobs.items():
                (self.cached[key],) = job.result(timeout=max(0.0, self.deadline - time.monotonic()))
        except (TimeoutError, concurrent.futures.TimeoutError):
            self.problem = TIMED_OUT
        except Exception:  # noqa: BLE001 - any browser failure means: no images, tables instead
            self.problem = FAILED
        if self.problem:
            for job in self.jobs.values():
                job.cancel()
            shutdown()
            return Rendered((), self.problem)
        with _CACHE_LOCK:
            for key in self.jobs:
                _CACHE[key] = self.cached[key]
                _CACHE.move_to_end(key)
            while len(_CACHE) > CACHE_SIZE:
                _CACHE.popitem(last=False)
        self.jobs = {}
        return Rendered(tuple(self.cached[k] for k in self.keys))


def start_render(
    figures: Iterable[go.Figure],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    scale: float = SCALE,
    timeout: float | None = None,
) -> PendingRender:
    """Start rendering plotly figures to PNG in the background, each as soon as it is given; cached ones are reused."""
    deadline = time.monotonic() + (timeout if timeout is not None else timeout_seconds())
    path = chromium_path()
    if path is None:
        return PendingRender([], {}, {}, deadline, NO_CHROMIUM if list(figures) else "")
    keys: list[str] = []
    cached: dict[str, bytes] = {}
    jobs: dict[str, concurrent.futures.Future] = {}
    for fig in figures:
        spec = fig.to_dict()
        key = _cache_key(spec, width, height, scale)
        keys.append(key)
        with _CACHE_LOCK:
            hit = _CACHE.get(key)
        if hit is not None:
            cached[key] = hit
        elif key not in jobs:
            jobs[key] = shared_renderer(path).submit([spec], width, height, scale)
    return PendingRender(keys, cached, jobs, deadline)


def render_pngs(figures: Sequence[go.Figure], **options) -> Rendered:
    """PNG images of plotly figures, or no images and the reason (no Chromium, timeout, failure)."""
    return start_render(figures, **options).result()


def start_chart_render(charts: Sequence[ChartData], **options) -> PendingRender:
    """Start rendering charts of the deck model in the background (see start_render for the options)."""
    if charts and chromium_path() is None:
        return PendingRender([], {}, {}, time.monotonic(), NO_CHROMIUM)
    return start_render((chart_figure(c) for c in charts), **options)  # the first renders while the next is built
