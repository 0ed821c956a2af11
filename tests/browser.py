"""Open a built site from disk in headless Chromium and report what a reader would hit.

`check_site_in_browser(index_html, screenshot, axe_js)` loads the index from its
file:// address (no server, no network) and every page of the site reachable from
it, once each; it lists images that did not load and relative links that lead
nowhere, saves a screenshot of the index (when `screenshot` is given) and, when `axe_js` is given,
runs axe-core (installed from package-lock.json by `make axe`) on every page it
loaded, with the WCAG 2 A/AA rules (tagged wcag2a, wcag2aa, wcag21a, wcag21aa,
wcag22aa). It returns findings rather than asserting, so a test or a person can
judge them: `problems` and `accessibility_problems` turn them into one line each.
`axe_report(index_html)` is the accessibility part alone. The command line runs
both checks, in one pass, when axe-core is installed, and prints one line per
finding and a last line with the counts (`make site-check`):

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


def linked_pages(page: Path, links: list[str]) -> list[Path]:
    """The other HTML files of the site that the page links to, each once."""
    targets = {(page.parent / unquote(urlsplit(link).path)).resolve()
               for link in links if is_internal(link) and urlsplit(link).path.endswith(".html")}
    return sorted(t for t in targets if t.is_file() and t != page.resolve())


def external_scripts(scripts: list[str]) -> list[str]:
    return [src for src in scripts if not is_internal(src) and src != "(inline)"]


def is_notebook_page(name: str) -> bool:
    """An executed notebook's page (nbconvert's export, which may run its own inline scripts)."""
    return name.startswith("notebooks/")


def check_site_in_browser(index_html: Path, screenshot: Path | None, axe_js: Path | None = None) -> dict:
    """Load `index_html` from disk in headless Chromium and every page of the site reachable from it
    by links, once each; report what failed.

    The chapter pages must run no script at all; a notebook page may run inline
    scripts, but none from another host. On every page, images must load and carry
    alt text, and every relative link must reach a file (and the id it names, on
    the page it names). With `axe_js`, "accessibility" holds axe-core's violations
    by page (by path in the site, the index first).
    """
    index_html = Path(index_html).resolve()
    site = index_html.parent
    axe_source = axe_js.read_text(encoding="utf-8") if axe_js else None
    accessibility, pages, paths = {}, {}, {}
    png = None
    with tempfile.TemporaryDirectory(prefix="likecheck-chromium-") as profile, \
            headless_chromium(Path(profile)) as driver:
        queue, seen = [index_html], {index_html}
        while queue:
            page = queue.pop(0)
            name = page.relative_to(site).as_posix()
            driver.get(page.as_uri())  # returns after the load event: images have loaded or failed
            facts = driver.execute_script(_PAGE_FACTS)
            if page == index_html and screenshot is not None:
                driver.set_window_size(WINDOW_WIDTH, min(max(facts["height"] + 150, 900), MAX_SCREENSHOT_HEIGHT))
                png = driver.get_screenshot_as_png()
                driver.set_window_size(WINDOW_WIDTH, 900)
            if axe_source:
                accessibility[name] = page_violations(driver, axe_source)
            pages[name], paths[name] = facts, page
            for target in linked_pages(page, facts["links"]):
                if target not in seen and site in target.parents:
                    seen.add(target)
                    queue.append(target)
    if png is not None:
        atomic_write_bytes(screenshot, png)
    ids_by_path = {paths[name]: set(facts["ids"]) for name, facts in pages.items()}

    def leads_nowhere(page: Path, link: str) -> bool:
        parts = urlsplit(link)
        target = ((page.parent / unquote(parts.path)) if parts.path else page).resolve()
        if not target.is_file():
            return True
        # A browser looks for the fragment as written, then percent-decoded (nbconvert's heading
        # ids keep %22 and %25 as they are).
        return (bool(parts.fragment) and target in ids_by_path
                and not {parts.fragment, unquote(parts.fragment)} & ids_by_path[target])

    index = pages["index.html"]
    return {
        "title": index["title"],
        "lang": index["lang"],
        "images": [{**i, "page": name} for name, facts in pages.items() if not is_notebook_page(name)
                   for i in facts["images"]],
        "internal_links": [link for link in index["links"] if is_internal(link)],
        "ids": sorted(set(index["ids"])),
        "pages": {name: {
            "lang": facts["lang"],
            "links": len(facts["links"]),
            "images": len(facts["images"]),
            "broken_images": [i["src"][:80] for i in facts["images"] if not i["naturalWidth"]],
            "images_without_alt": [i["src"][:80] for i in facts["images"] if not (i["alt"] or "").strip()],
            "broken_links": sorted({link for link in facts["links"]
                                    if is_internal(link) and leads_nowhere(paths[name], link)}),
            "scripts": (external_scripts(facts["scripts"]) if is_notebook_page(name) else facts["scripts"]),
        } for name, facts in pages.items()},
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
    found = []
    for name, page in report["pages"].items():
        found += [f"{name}: image did not load: {src}" for src in page["broken_images"]]
        found += [f"{name}: image without alt text: {src}" for src in page["images_without_alt"]]
        found += [f"{name}: link leads nowhere: {link}" for link in page["broken_links"]]
        found += [f"{name}: {'script from another host' if is_notebook_page(name) else 'runs a script'}: {src}"
                  for src in page["scripts"]]
        if page["lang"] != "en" and not is_notebook_page(name):  # axe-core checks the notebook pages
            found.append(f"{name}: the page does not say its language (html lang)")
    return found


def summary(report: dict, found: list[str]) -> str:
    """The last line of the check: what was looked at, and how many findings."""
    pages = report["pages"]
    checked = (f"{len(pages)} pages, {sum(p['images'] for p in pages.values())} images, "
               f"{sum(p['links'] for p in pages.values())} links")
    if "accessibility" in report:
        violations = sum(len(v) for v in report["accessibility"].values())
        checked += f", axe-core on every page ({violations} violation{'s' if violations != 1 else ''})"
    else:
        checked += ", accessibility not checked (run 'make axe')"
    return f"site-check: {checked}: " + (f"{len(found)} finding{'s' if len(found) != 1 else ''}" if found else "ok")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: tests/browser.py SITE/index.html SCREENSHOT.png")
    report = check_site_in_browser(Path(sys.argv[1]), Path(sys.argv[2]), AXE_JS if AXE_JS.is_file() else None)
    found = problems(report)
    if "accessibility" in report:
        found += accessibility_problems(report["accessibility"])
    for line in found:
        print(line)
    print(f"screenshot of the index: {report['screenshot']}")
    print(summary(report, found))
    sys.exit(1 if found else 0)
