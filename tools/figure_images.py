#!/usr/bin/env python3
"""A static picture of every stored plotly figure, for the front ends that do
not draw plotly's mimetype (GitHub's preview, nbviewer, nbconvert's HTML,
Colab before it runs anything).  Used by ``tools/execute.py`` (``make
outputs``): the instructor's build pays for the pictures, never a student's
kernel.

    python tools/figure_images.py notebooks/01-siege-background.ipynb   # add/refresh in place

For each output holding ``application/vnd.plotly.v1+json`` the same output
gets ``image/png``: the figure drawn by the real plotly.js (the copy inside
the installed plotly package, so nothing is fetched) in Debian's Chromium,
driven by playwright, at the figure's own size and scale 1 (width: the
figure's, else ``style.LAPTOP_WIDTH``; height: the figure's).  The PNG is an
indexed-colour image -- 32 colours, or 16 or 8 where more would take a
notebook past ``BUDGET`` (190 KB): the commonest ones that differ clearly from each other, every
other pixel mapped to the nearest -- compressed with zlib level 9, which keeps
each notebook under 200 KB.  ``metadata["image/png"]`` holds its
width, height and an ``alt`` text (title, subtitle and the "What to see"
description), which nbconvert's templates put on the ``<img>``.

The same figure JSON and the same Chromium give the same bytes (the page is
drawn offline with fixed fonts and no animation).  nbval does not compare
``image/png`` (tests/conftest.py), so another machine's fonts never fail a
test; ``make outputs`` on that machine may change the pictures' bytes.
"""
from __future__ import annotations

import base64
import json
import os
import struct
import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PLOTLY_MIME = "application/vnd.plotly.v1+json"
PNG_MIME = "image/png"
CHROMIUM = Path(os.environ.get("DEIREZZOR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--font-render-hinting=none"]
COLORS = (32, 16, 8)  # palette sizes tried, in order, for the stored PNGs
BUDGET = 190_000      # bytes: a notebook whose pictures would take it past this gets fewer colours
MIN_DISTANCE = 24    # RGB distance below which two palette colours count as one
DEFAULT_WIDTH = 930  # deirezzor.style.LAPTOP_WIDTH
DEFAULT_HEIGHT = 440

# Draw one figure with plotly.js and hand back its RGBA pixels (base64).
_JS_RENDER = """async ([fig, width, height]) => {
  const div = document.createElement('div');
  document.body.appendChild(div);
  const layout = Object.assign({}, fig.layout || {}, {width, height});
  await Plotly.newPlot(div, fig.data || [], layout, {staticPlot: true, displayModeBar: false});
  const url = await Plotly.toImage(div, {format: 'png', width, height, scale: 1});
  Plotly.purge(div); div.remove();
  const img = new Image(); img.src = url; await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width; canvas.height = height;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, width, height);
  ctx.drawImage(img, 0, 0);
  const bytes = ctx.getImageData(0, 0, width, height).data;
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}"""


def figure_size(fig: dict) -> tuple[int, int]:
    lay = fig.get("layout") or {}
    tmpl = (lay.get("template") or {}).get("layout") or {}
    width = lay.get("width") or DEFAULT_WIDTH
    height = lay.get("height") or tmpl.get("height") or DEFAULT_HEIGHT
    return int(width), int(height)


def alt_text(fig: dict) -> str:
    """The picture's alt text: ``deirezzor.style.figure_text`` (title,
    subtitle, "What to see"), the same line as the figure's text/plain."""
    from deirezzor.style import figure_text
    return figure_text(fig)


# --- PNG: an indexed-colour image, written by hand (no imaging library needed)
def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def quantize(rgb: np.ndarray, colors: int = COLORS[0]) -> tuple[np.ndarray, np.ndarray]:
    """(H, W, 3) uint8 -> (palette (N, 3) uint8, indices (H, W) uint8): up
    to ``colors`` colours, the commonest first (ties broken by value:
    deterministic) but each at least MIN_DISTANCE from the others, every
    other pixel mapped to the nearest of them."""
    flat = rgb.reshape(-1, 3).astype(np.int32)
    keys = (flat[:, 0] << 16) | (flat[:, 1] << 8) | flat[:, 2]
    uniq, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
    order = np.lexsort((uniq, -counts))
    ucols = np.stack([(uniq >> 16) & 255, (uniq >> 8) & 255, uniq & 255], axis=1)
    # Greedy: the commonest colours first, but one that is within MIN_DISTANCE
    # of a colour already chosen is skipped (anti-aliasing makes many greys
    # and blends; the marks' own colours must not lose their places to them).
    chosen: list[int] = []
    for min_distance in (MIN_DISTANCE, MIN_DISTANCE / 2, 0):
        for k in order[:20000]:
            if len(chosen) == colors:
                break
            if k in chosen:
                continue
            if chosen and ((ucols[chosen] - ucols[k]) ** 2).sum(axis=1).min() <= min_distance ** 2:
                continue
            chosen.append(int(k))
        if len(chosen) == colors:
            break
    palette = ucols[chosen]
    # nearest palette colour for every distinct colour, in chunks (memory)
    nearest = np.empty(len(uniq), dtype=np.int64)
    for i in range(0, len(uniq), 4096):
        d = ((ucols[i:i + 4096, None, :] - palette[None, :, :]) ** 2).sum(axis=2)
        nearest[i:i + 4096] = d.argmin(axis=1)
    index = nearest[inverse.reshape(-1)].reshape(rgb.shape[:2]).astype(np.uint8)
    return palette.astype(np.uint8), index


def encode_png(rgb: np.ndarray, colors: int = COLORS[0]) -> bytes:
    palette, index = quantize(rgb, colors)
    h, w = index.shape
    depth = 4 if len(palette) <= 16 else 8
    if depth == 4:  # two pixels a byte
        if w % 2:
            index = np.hstack([index, np.zeros((h, 1), np.uint8)])
        index = (index[:, 0::2] << 4) | index[:, 1::2]
    # filter 0 (none) on every row: best for indexed images with flat areas
    raw = np.hstack([np.zeros((h, 1), np.uint8), index]).tobytes()
    return (b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, 3, 0, 0, 0))
            + _chunk(b"PLTE", palette.tobytes())
            + _chunk(b"IDAT", zlib.compress(raw, 9))
            + _chunk(b"IEND", b""))


class Renderer:
    """``with Renderer() as r: png = r.png(fig_dict)`` -- one Chromium for many figures."""

    def __enter__(self) -> "Renderer":
        from playwright.sync_api import sync_playwright
        import plotly
        js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        if not CHROMIUM.is_file():
            raise RuntimeError(f"no Chromium at {CHROMIUM} (set DEIREZZOR_CHROMIUM); "
                               "the figure pictures cannot be made")
        self._pw = sync_playwright().start()
        self._browser = self._pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        self._page = self._browser.new_page(device_scale_factor=1)
        # offline: any request leaving the page is refused
        self._page.route("**/*", lambda route: route.abort() if not route.request.url.startswith(("data:", "about:"))
                         else route.continue_())
        self._page.set_content("<!doctype html><html><body style='margin:0;background:#fff'></body></html>")
        self._page.add_script_tag(content=js.read_text(encoding="utf-8"))
        return self

    def __exit__(self, *exc) -> None:
        self._browser.close()
        self._pw.stop()

    def rgb(self, fig: dict) -> np.ndarray:
        width, height = figure_size(fig)
        data = base64.b64decode(self._page.evaluate(_JS_RENDER, [fig, width, height]))
        return np.frombuffer(data, np.uint8).reshape(height, width, 4)[:, :, :3]

    def png(self, fig: dict) -> bytes:
        return encode_png(self.rgb(fig))


def add_images(nb, renderer: Renderer, budget: int = BUDGET, dumps=None) -> int:
    """Give every plotly output of ``nb`` (a dict or NotebookNode) its PNG and
    alt text, in place; return how many.  32 colours a picture, or 16 (then
    8) where more would take the notebook past ``budget`` bytes as
    ``dumps(nb)`` writes it (default: tools/nav.py's ``dumps_nb``)."""
    if dumps is None:
        sys.path.insert(0, str(ROOT / "tools"))
        from nav import dumps_nb as dumps
    outputs = [out for cell in nb["cells"] if cell.get("cell_type") == "code"
               for out in cell.get("outputs", []) if PLOTLY_MIME in (out.get("data") or {})]
    pixels = [renderer.rgb(out["data"][PLOTLY_MIME]) for out in outputs]
    for colors in COLORS:
        for out, rgb in zip(outputs, pixels):
            fig = out["data"][PLOTLY_MIME]
            width, height = figure_size(fig)
            out["data"][PNG_MIME] = base64.b64encode(encode_png(rgb, colors)).decode("ascii")
            out.setdefault("metadata", {})[PNG_MIME] = {"alt": alt_text(fig), "width": width, "height": height}
        size = len(dumps(nb).encode("utf-8"))
        if size <= budget:
            break
    return len(outputs)


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT / "tools"))
    from nav import dumps_nb, read_nb
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])]
    if not paths:
        print("usage: python tools/figure_images.py NOTEBOOK.ipynb ...", file=sys.stderr)
        return 2
    with Renderer() as r:
        for p in paths:
            nb = read_nb(p)
            n = add_images(nb, r)
            p.write_text(dumps_nb(nb), encoding="utf-8")
            print(f"{p}: {n} figure picture(s), {p.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
