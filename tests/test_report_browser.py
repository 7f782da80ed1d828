"""report.html in a real browser (headless Chromium) with the network off: every part is there and visible.

The page is loaded from file:// with no network: in a network namespace of its own when `unshare --net`
is allowed (root), and always with every host name unresolvable and every request sent to a closed
proxy. A small script added to a copy of the page measures each summary, section and plot after
layout; Chromium's `--dump-dom` hands the measurements back. A screenshot is kept as a test artifact
(`test-artifacts/report.png`, or under $ACCORD_TEST_ARTIFACTS).
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

from flows.release.report import SECTIONS

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("ACCORD_TEST_ARTIFACTS") or ROOT / "test-artifacts")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9",
         "--proxy-bypass-list=<-loopback>")
PLOTS = 5
CHECK_SCRIPT = """
<script>
(function () {
  function shown(el) {
    if (!el) { return false; }
    var box = el.getBoundingClientRect(), style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.display !== "none" && style.visibility !== "hidden"
      && parseFloat(style.opacity) > 0;
  }
  var items = Array.prototype.map.call(document.querySelectorAll("[data-check]"), function (el) {
    var svg = el.querySelector("svg"), box = svg ? svg.getBoundingClientRect() : null;
    return {kind: el.getAttribute("data-check"), id: el.id, shown: shown(el),
            svg: svg ? {shown: shown(svg), width: box.width, height: box.height,
                        texts: svg.querySelectorAll("text").length,
                        shapes: svg.querySelectorAll("path, rect, use").length} : null,
            heading: (el.querySelector("h1, h2, h3") || {}).textContent || ""};
  });
  var out = document.createElement("pre");
  out.id = "accord-check";
  out.textContent = JSON.stringify({items: items,
    resources: performance.getEntriesByType("resource").map(function (e) { return e.name; }),
    scripts: document.scripts.length,
    linkedSheets: Array.prototype.filter.call(document.styleSheets, function (s) { return s.href; }).length,
    external: document.querySelectorAll("script[src], link[href], img, iframe, object, embed, video, audio").length,
    width: document.documentElement.scrollWidth, viewport: window.innerWidth});
  document.body.appendChild(out);
})();
</script>
"""


@lru_cache(maxsize=1)
def browser() -> str | None:
    configured = os.environ.get("ACCORD_CHROMIUM")
    if configured:
        return shutil.which(configured) or (configured if Path(configured).is_file() else None)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


@lru_cache(maxsize=1)
def network_namespace() -> list[str]:
    """`unshare --net` when this user may make a network namespace (no network at all inside), else nothing."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "--net", "true"], capture_output=True).returncode == 0:
        return [unshare, "--net"]
    return []


def chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [*network_namespace(), browser(), *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def latest(output: Path) -> Path:
    return output / json.loads((output / "index.json").read_text())["latest"]


@pytest.fixture(scope="module")
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The measurements of report.html after layout in Chromium, and where its screenshot is."""
    if browser() is None:
        pytest.skip(f"no Chromium binary ({', '.join(BROWSERS)}) on PATH: install Debian's package chromium "
                    "(.ci/run does) to render report.html in a browser")
    release = latest(request.getfixturevalue("sample_release"))
    work = tmp_path_factory.mktemp("browser")
    checked = work / "report.html"
    checked.write_text((release / "report.html").read_text(encoding="utf-8").replace("</body>", CHECK_SCRIPT
                                                                                       + "</body>"), encoding="utf-8")
    dom = chromium(checked, work / "profile-dom", "--virtual-time-budget=5000", "--dump-dom")
    match = re.search(r'<pre id="accord-check">(.*?)</pre>', dom.stdout, re.S)
    assert match, f"no measurements in the DOM Chromium dumped (exit {dom.returncode}): {dom.stderr[-2000:]}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    screenshot.unlink(missing_ok=True)
    shot = chromium(release / "report.html", work / "profile-shot", "--hide-scrollbars", "--window-size=1280,4000",
                    f"--screenshot={screenshot}")
    return {"check": json.loads(html.unescape(match.group(1))), "screenshot": screenshot, "shot": shot}


def test_summary_sections_and_plots_are_visible(rendered: dict) -> None:
    items = rendered["check"]["items"]
    summary = [i for i in items if i["kind"] == "summary"]
    assert len(summary) == 1 and summary[0]["shown"] and summary[0]["heading"].startswith("Accord release")
    sections = {i["id"]: i for i in items if i["kind"] == "section"}
    assert list(sections) == [key for key, _title in SECTIONS]
    assert all(section["shown"] for section in sections.values()), sections
    plots = [i for i in items if i["kind"] == "plot"]
    assert len(plots) == PLOTS
    for plot in plots:
        svg = plot["svg"]
        assert svg and svg["shown"] and svg["width"] > 400 and svg["height"] > 150, plot
        assert svg["texts"] > 5 and svg["shapes"] > 5, plot


def test_page_loads_nothing_and_fits_the_window(rendered: dict) -> None:
    check = rendered["check"]
    assert check["resources"] == []  # no stylesheet, script, font or image fetched, from anywhere
    assert check["external"] == 0 and check["linkedSheets"] == 0  # nothing that could load: inline styles only
    assert check["scripts"] == 2  # the page's own sorter and the measuring script added here
    assert check["width"] <= check["viewport"] + 1  # nothing wider than the window


def test_screenshot_is_kept_and_not_blank(rendered: dict) -> None:
    from PIL import Image

    screenshot = rendered["screenshot"]
    assert screenshot.exists(), rendered["shot"].stderr[-2000:]
    with Image.open(screenshot) as image:
        assert image.size == (1280, 4000)
        colours = image.convert("RGB").getcolors(maxcolors=4096)
        assert colours is None or len(colours) > 50  # text, tables and plots, not an empty page
