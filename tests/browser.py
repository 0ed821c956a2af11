"""Open a built site from disk in headless Chromium and report what a reader would hit.

`check_site_in_browser(index_html, screenshot, axe_js)` loads the index from its
file:// address (no server, no network) and every page it links to, once each;
it lists images that did not load and relative links that lead nowhere, saves a
screenshot of the index (when `screenshot` is given) and, when `axe_js` is given,
runs axe-core (installed from package-lock.json by `make axe`) on every page it
loaded, with the WCAG 2 A/AA rules (tagged wcag2a, wcag2aa, wcag21a, wcag21aa,
wcag22aa). It returns findings rather than asserting, so a test or a person can
judge them: `problems` and `accessibility_problems` turn them into one line each.
`axe_report(index_html)` is the accessibility part alone. The command line runs
both checks, in one pass, when axe-core is installed:

    .venv/bin/python tests/browser.py build/site/index.html build/site-screenshot.png

Selenium is given the driver's path, so Selenium Manager never runs or downloads.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from likecheck.outputs import atomic_write_bytes

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
AXE_TIMEOUT = 120  # seconds axe may take on one page (the notebook pages are long)
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")
WINDOW_WIDTH = 1280
#: A screenshot taller than this is cut; the checks still cover the whole page.
MAX_SCREENSHOT_HEIGHT = 12_000

_PAGE_FACTS = """
return {
  title: document.title,
  lang: document.documentElement.getAttribute('lang'),
  height: document.documentElement.scrollHeight,
  images: Array.from(document.images).map(i => ({src: i.getAttribute('src'), alt: i.getAttribute('alt'),
                                                 naturalWidth: i.naturalWidth})),
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
  ids: Array.from(document.querySelectorAll('[id]')).map(e => e.id),
  scripts: Array.from(document.scripts).map(s => s.getAttribute('src') || '(inline)'),
};
"""


@contextmanager
def headless_chromium(profile_dir: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile_dir}")
    options.add_argument(f"--window-size={WINDOW_WIDTH},900")
    # Chromium keeps crash reports and desktop settings under XDG folders even
    # with its own profile folder; point them into the throwaway one too.
    env = {**os.environ, "XDG_CONFIG_HOME": str(profile_dir / "xdg-config"),
           "XDG_CACHE_HOME": str(profile_dir / "xdg-cache")}
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER), env=env), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def is_internal(link: str) -> bool:
    parts = urlsplit(link)
    return not parts.scheme and not parts.netloc


def broken_link(page: Path, link: str, ids_on_page: set[str]) -> bool:
    """A relative link is broken when its file is missing, or it names an id this page lacks."""
    parts = urlsplit(link)
    target = (page.parent / unquote(parts.path)) if parts.path else page
    if not target.is_file():
        return True
    return target.resolve() == page.resolve() and bool(parts.fragment) and unquote(parts.fragment) not in ids_on_page


def linked_pages(page: Path, links: list[str]) -> list[Path]:
    """The other HTML files of the site that the page links to (notebook pages), each once."""
    targets = {(page.parent / unquote(urlsplit(link).path)).resolve()
               for link in links if is_internal(link) and urlsplit(link).path.endswith(".html")}
    return sorted(t for t in targets if t.is_file() and t != page)


def external_scripts(scripts: list[str]) -> list[str]:
    return [src for src in scripts if not is_internal(src) and src != "(inline)"]


def check_site_in_browser(index_html: Path, screenshot: Path | None, axe_js: Path | None = None) -> dict:
    """Load `index_html` from disk in headless Chromium and every page it links to; report what failed.

    The index must run no script at all; a linked page (a notebook's HTML)
    may run inline scripts, but none from another host, and its images must load.
    With `axe_js`, "accessibility" holds axe-core's violations by page (the index,
    then every page it links to, by path in the site).
    """
    index_html = Path(index_html).resolve()
    axe_source = axe_js.read_text(encoding="utf-8") if axe_js else None
    accessibility = {}
    with tempfile.TemporaryDirectory(prefix="likecheck-chromium-") as profile, \
            headless_chromium(Path(profile)) as driver:
        driver.get(index_html.as_uri())  # returns after the load event: images have loaded or failed
        facts = driver.execute_script(_PAGE_FACTS)
        if screenshot is not None:
            driver.set_window_size(WINDOW_WIDTH, min(max(facts["height"] + 150, 900), MAX_SCREENSHOT_HEIGHT))
            png = driver.get_screenshot_as_png()
        if axe_source:
            accessibility["index.html"] = page_violations(driver, axe_source)
        linked = {}
        for page in linked_pages(index_html, facts["links"]):
            name = str(page.relative_to(index_html.parent))
            driver.get(page.as_uri())
            linked[name] = driver.execute_script(_PAGE_FACTS)
            if axe_source:
                accessibility[name] = page_violations(driver, axe_source)
    if screenshot is not None:
        atomic_write_bytes(screenshot, png)
    internal = [link for link in facts["links"] if is_internal(link)]
    ids = set(facts["ids"])
    return {
        "title": facts["title"],
        "lang": facts["lang"],
        "images": facts["images"],
        "broken_images": [i["src"] for i in facts["images"] if not i["naturalWidth"]],
        "images_without_alt": [i["src"] for i in facts["images"] if not (i["alt"] or "").strip()],
        "internal_links": internal,
        "ids": sorted(ids),
        "broken_links": sorted({link for link in internal if broken_link(index_html, link, ids)}),
        "scripts": facts["scripts"],
        "linked_pages": {name: {"broken_images": [i["src"][:80] for i in page["images"] if not i["naturalWidth"]],
                                "external_scripts": external_scripts(page["scripts"])}
                         for name, page in linked.items()},
        "screenshot": str(screenshot) if screenshot is not None else None,
        **({"accessibility": accessibility} if axe_source else {}),
    }


_RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(result => done(result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary.replace(/\\s+/g, ' '))}))))
  .catch(error => done([{id: 'axe-error', impact: 'critical', help: String(error), nodes: []}]));
"""


def page_violations(driver, axe_source: str) -> list[dict]:
    """axe-core's WCAG 2 A/AA violations of the page the browser has open.

    WebDriver runs the script as the browser's own automation, so the pages'
    Content-Security-Policy (no script from elsewhere) does not block it.
    """
    driver.execute_script(axe_source)
    driver.set_script_timeout(AXE_TIMEOUT)
    return driver.execute_async_script(_RUN_AXE, list(WCAG_TAGS))


def axe_report(index_html: Path, axe_js: Path = AXE_JS) -> dict[str, list[dict]]:
    """Violations by page (the index, then every page it links to, by path in the site)."""
    return check_site_in_browser(index_html, None, axe_js)["accessibility"]


def accessibility_problems(report: dict[str, list[dict]]) -> list[str]:
    """One line per violated rule and page, with the first element it flags."""
    return [f"{page}: {v['id']} ({v['impact']}, {len(v['nodes'])} elements): {v['help']}"
            + (f"; first: {v['nodes'][0]}" if v["nodes"] else "")
            for page, violations in report.items() for v in violations]


def problems(report: dict) -> list[str]:
    """What a reader would hit, one line each; empty when the site is fine."""
    found = ([f"image did not load: {src}" for src in report["broken_images"]]
             + [f"image without alt text: {src}" for src in report["images_without_alt"]]
             + [f"link leads nowhere: {link}" for link in report["broken_links"]]
             + [f"the index runs a script: {src}" for src in report["scripts"]])
    for name, page in report["linked_pages"].items():
        found += [f"{name}: image did not load: {src}" for src in page["broken_images"]]
        found += [f"{name}: script from another host: {src}" for src in page["external_scripts"]]
    return found


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: tests/browser.py SITE/index.html SCREENSHOT.png")
    report = check_site_in_browser(Path(sys.argv[1]), Path(sys.argv[2]), AXE_JS if AXE_JS.is_file() else None)
    print(json.dumps({k: v for k, v in report.items() if k not in ("images", "accessibility")}, indent=2))
    found = problems(report)
    if "accessibility" in report:
        found += accessibility_problems(report["accessibility"])
    else:
        print(f"accessibility not checked: {AXE_JS} is absent (run 'make axe')", file=sys.stderr)
    print("\n".join(found) or "site ok", file=sys.stderr)
    sys.exit(1 if found else 0)
