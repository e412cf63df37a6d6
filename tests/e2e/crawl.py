"""Walk the pages a demo account reaches from its menu, and check each one.

Used by test_every_page.py (issue 8, "Proof", first bullet). Every check reports a
`Finding` that names the account, the page, the check and the offending text or widths,
so that a failure can be routed to whoever owns the page, the text or the style.

The checks on one page:
- `status`    the page answers 200 and stays where it was asked (no redirect to login);
- `english`   no English UI word or phrase from `ENGLISH` (whole words, case-sensitive);
- `je-jouw`   the user is addressed as "u": no je/jij/jou/jouw/jezelf/jullie;
- `identifier` no snake_case value from the code (a role, a choice, a CSV column) shown
  as text outside `<code>`;
- `scroll-1280`, `scroll-320`  no horizontal scrollbar on the document (and at 1280 px
  none inside the page either: a table that needs its own scrollbar does not fit);
- `axe`       no axe-core violation of WCAG 2.1 A/AA (the tags of conftest.py); axe runs
  once per page structure (`AxeMemo`): a page built like one checked before, for any
  account, has the same findings, reported again for this page;
- `csp`       no Content Security Policy violation on the console.

Text that is not the application's own is left out of the text checks: `<code>`, `<kbd>`,
`<samp>`, `<pre>`, receipt codes, quotations (`blockquote`, `q`, `.integritas-case-text`),
`translate="no"` and anything marked with a language other than Dutch (the language
menu's "English").
"""

import hashlib
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, ViewportSize

from integritas.demo.data import DEMO_ORGANISATION, DemoAccount
from integritas.demo.logins import current_totp_code, seconds_left

from .conftest import WCAG_TAGS, ConsoleLog

WIDE = ViewportSize(width=1280, height=900)
NARROW = ViewportSize(width=320, height=900)
CHILDREN_PER_MENU_PAGE = 2

# English that must not appear in the Dutch UI. Whole words, case-sensitive: words that
# are Dutch as well ("Status", "Account", "Code", "Filter", "Open", "Type", "Download",
# "Log in") are left out on purpose.
ENGLISH: tuple[str, ...] = (
    # Django's forms and the form renderer
    "Select an option",
    "This field",
    "This field is required",
    "Enter a valid",
    "Select a valid choice",
    "Ensure this value",
    "Currently",
    "Clear",
    "Required",
    "Optional",
    # buttons and links
    "Submit",
    "Save",
    "Cancel",
    "Delete",
    "Remove",
    "Edit",
    "Search",
    "Add",
    "Change",
    "Close",
    "Back",
    "Continue",
    "Confirm",
    "Next",
    "Previous",
    "Page",
    "Show",
    "Hide",
    "Send",
    "Yes",
    # allauth: login, e-mail, second factor
    "Sign In",
    "Sign in",
    "Sign Out",
    "Sign out",
    "Sign Up",
    "Sign up",
    "Log out",
    "Password",
    "password",
    "Username",
    "Email",
    "email",
    "E-mail address",
    "Email address",
    "Email Address",
    "Remember",
    "Remember Me",
    "Forgot",
    "Forgot Password",
    "Authenticator",
    "Authenticator App",
    "Authenticator app",
    "Recovery codes",
    "Recovery Codes",
    "recovery codes",
    "Two-Factor",
    "Two-Factor Authentication",
    "Security key",
    "Security Keys",
    "Activate",
    "Deactivate",
    "Reauthenticate",
    "Manage",
    "Generate",
    "Verify",
    "Verified",
    "Unverified",
    "Primary",
    "Passkey login",
    # error pages
    "Not Found",
    "Page not found",
    "Forbidden",
    "Server Error",
    "Server error",
    "Bad Request",
    "CSRF verification failed",
    "Request aborted",
    # the English that glues sentences
    "the",
    "The",
    "you",
    "You",
    "your",
    "Your",
    "please",
    "Please",
    "Welcome",
    "Settings",
    "Language",
    "Error",
    "Warning",
    "Success",
    "Loading",
    # dates in the English locale
    "January",
    "February",
    "March",
    "June",
    "July",
    "August",
    "October",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)

# A hyphen counts as part of a word: "Authenticator-app" and "E-mail" are Dutch.
ENGLISH_RE = re.compile(
    r"(?<![\w-])("
    + "|".join(re.escape(w) for w in sorted(ENGLISH, key=len, reverse=True))
    + r")(?![\w-])"
)
# A value straight from the code (a role, a choice, a column name) shown as text.
IDENTIFIER_RE = re.compile(r"(?<![\w.@/:-])[a-z]+(?:_[a-z0-9]+)+(?![\w@/-])")
INFORMAL_RE = re.compile(r"(?<![\w-])(je|jij|jou|jouw|jezelf|jullie)(?![\w-])", re.IGNORECASE)

# Not the application's words: left out of the text checks.
NOT_OURS = (
    "script, style, noscript, template, code, kbd, samp, pre, blockquote, q, "
    ".integritas-receipt-code, .integritas-case-text, [translate='no'], "
    "[lang]:not(html):not([lang|='nl'])"
)

_TEXTS_JS = r"""
(notOurs) => {
  const where = (el) => {
    const one = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (!e.id && e.classList.length ? '.' + e.classList[0] : '');
    return el.parentElement && el.parentElement !== document.body
      ? one(el.parentElement) + ' > ' + one(el) : one(el);
  };
  const out = [[document.title, 'title']];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.nodeValue.replace(/\s+/g, ' ').trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(notOurs)) continue;
    out.push([text, where(el)]);
  }
  const attributes = ['placeholder', 'aria-label', 'title', 'alt', 'aria-description'];
  for (const el of document.body.querySelectorAll(
      '[placeholder], [aria-label], [title], [alt], [aria-description], '
      + 'input[type=submit], input[type=button], input[type=reset]')) {
    if (el.closest(notOurs)) continue;
    for (const name of attributes) {
      const value = el.getAttribute(name);
      if (value) out.push([value, where(el) + ' @' + name]);
    }
    if (el.tagName === 'INPUT' && el.value) out.push([el.value, where(el) + ' @value']);
  }
  return out;
}
"""

_WIDTHS_JS = r"""
(inner) => {
  const doc = document.documentElement;
  const describe = (e) => {
    const text = (e.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 30);
    return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (e.classList.length ? '.' + [...e.classList].join('.') : '')
      + (text ? ' "' + text + '"' : '');
  };
  const clips = (e) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(e).overflowX);
  const result = {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth,
                  offenders: [], scrollers: []};
  if (doc.scrollWidth > doc.clientWidth) {
    const limit = doc.clientWidth;
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.right <= limit + 0.5) continue;
      let clipped = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        if (clips(a)) { clipped = true; break; }
      }
      if (clipped) continue;
      const parent = el.parentElement.getBoundingClientRect();
      if (el.parentElement !== document.body && parent.right > limit + 0.5) continue;
      result.offenders.push(describe(el) + ' right=' + Math.round(box.right)
        + ' width=' + Math.round(box.width));
      if (result.offenders.length >= 3) break;
    }
    if (!result.offenders.length) {  // inside a clipping box that itself overflows
      const boxes = [...document.body.querySelectorAll('*')]
        .map((e) => [e, e.getBoundingClientRect().right])
        .filter(([, right]) => right > limit + 0.5)
        .sort((a, b) => b[1] - a[1]).slice(0, 3);
      for (const [el, right] of boxes) {
        result.offenders.push(describe(el) + ' right=' + Math.round(right));
      }
    }
  }
  if (inner) {
    for (const el of document.body.querySelectorAll('*')) {
      const overflow = getComputedStyle(el).overflowX;
      if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
        result.scrollers.push(describe(el) + ' scrollWidth=' + el.scrollWidth
          + ' clientWidth=' + el.clientWidth);
      }
    }
  }
  return result;
}
"""


# What axe-core's WCAG rules look at, without the words: every element with its tag, its
# attributes and whether it has text of its own. Attribute values are kept, except where
# only their presence counts for a rule (link targets, form actions, nonces, times) and
# where a name counts only as given or empty (alt, aria-label, title, placeholder, value).
# Two pages alike in this differ only in their texts and links: one axe run serves both.
_STRUCTURE_JS = r"""
() => {
  const presence = new Set(['href', 'action', 'nonce', 'datetime', 'content', 'src',
                            'srcset', 'integrity']);
  const named = new Set(['alt', 'aria-label', 'title', 'placeholder', 'value',
                         'aria-description', 'aria-valuetext']);
  const out = [];
  for (const el of document.querySelectorAll('*')) {
    const attrs = [...el.attributes].map((a) => {
      if (presence.has(a.name) || a.name.startsWith('data-')) return a.name;
      if (named.has(a.name)) return a.name + (a.value.trim() ? '=+' : '=-');
      return a.name + '=' + a.value;
    }).sort();
    const text = [...el.childNodes].some((n) => n.nodeType === 3 && n.nodeValue.trim());
    out.push(el.tagName + '[' + attrs.join(' ') + ']' + (text ? 'T' : ''));
  }
  return out.join('\n');
}
"""


@dataclass
class AxeMemo:
    """axe-core's WCAG 2.1 A/AA violations per page structure (`_STRUCTURE_JS`), shared by
    the accounts of a crawl: a page with the structure of one already checked has the
    same violations, so axe (the slow part of a crawl) runs once for all such pages."""

    axe: Axe = field(default_factory=Axe)
    violations_by_structure: dict[str, list[str]] = field(default_factory=dict)
    runs: int = 0
    reused: int = 0

    def violations(self, page: Page) -> list[str]:
        structure = page.evaluate(_STRUCTURE_JS)
        key = hashlib.sha256(structure.encode()).hexdigest()
        if key in self.violations_by_structure:
            self.reused += 1
            return self.violations_by_structure[key]
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        found = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
            + "; ".join(
                str(node["target"][0]) if node["target"] else "?" for node in violation["nodes"]
            )
            for violation in results.response["violations"]
        ]
        self.violations_by_structure[key] = found
        self.runs += 1
        return found

    def summary(self) -> str:
        return f"axe ran on {self.runs} page structure(s), reused for {self.reused} page(s)"


@dataclass(frozen=True)
class Finding:
    who: str
    url: str
    check: str
    detail: str

    def __str__(self) -> str:
        return f"{self.who} | {self.url} | {self.check} | {self.detail}"


@dataclass
class Crawl:
    """What one account saw: the pages checked, the links answered, the findings."""

    who: str
    base_url: str
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)

    def add(self, url: str, check: str, detail: str) -> None:
        finding = Finding(self.who, self.path(url), check, detail)
        if finding not in self.findings:  # the same text in every row: once is enough
            self.findings.append(finding)

    def path(self, url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def summary(self) -> str:
        return (
            f"{self.who}: pages checked: {', '.join(self.checked) or 'none'}; "
            f"home page links answered: {', '.join(self.answered) or 'none'}"
        )

    def report(self) -> str:
        lines = [f"{len(self.findings)} finding(s) (account | page | check | detail):"]
        lines += [f"  {f}" for f in self.findings]
        lines.append(f"  (pages checked: {', '.join(self.checked) or 'none'})")
        return "\n".join(lines)


def account_organisation(account: DemoAccount) -> str:
    """The slug of the account's organisation; "regio" for a regional role.

    Read defensively: the demo grows accounts per organisation (issue 8), and until
    then every account is an employee of `DEMO_ORGANISATION`.
    """
    if account.regional:
        return "regio"
    for name in ("organisation", "organisation_slug", "org"):
        value = getattr(account, name, None)
        if isinstance(value, str) and value:
            return value
        slug = getattr(value, "slug", None)
        if isinstance(slug, str) and slug:
            return slug
    return DEMO_ORGANISATION


def who(account: DemoAccount) -> str:
    return f"{account_organisation(account)}/{account.key} <{account.email}>"


# --- logging in ---------------------------------------------------------------------------


def log_in(page: Page, base_url: str, account: DemoAccount, password: str) -> str | None:
    """Log in through the pages, with the TOTP code when the role has a second factor.

    Returns None when the home page was reached, else what went wrong (with the URL).
    """
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(account.email)
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:
        if not account.totp_secret:
            return f"asked for a second factor without a TOTP secret, at {page.url}"
        if seconds_left() < 3:  # allauth accepts the current period only
            time.sleep(seconds_left() + 0.2)
        page.locator("input[name=code]").fill(current_totp_code(account.totp_secret))
        page.locator("input[name=code]").press("Enter")
        page.wait_for_load_state()
    if urlsplit(page.url).path != "/":
        return f"login did not reach the home page but {page.url}"
    return None


# --- links --------------------------------------------------------------------------------


def same_site_links(page: Page, selector: str, base_url: str) -> list[str]:
    """The absolute URLs of the links under `selector` on this site, in order, once each."""
    hrefs: list[str] = page.eval_on_selector_all(
        selector, "els => els.map(e => e.getAttribute('href')).filter(Boolean)"
    )
    seen: dict[str, None] = {}
    for href in hrefs:
        url = urljoin(page.url, href).split("#", 1)[0]
        if url.startswith(base_url) and url not in seen:
            seen[url] = None
    return list(seen)


_SHAPE_RES = (
    re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
    re.compile(r"[A-Z]{2,5}-\d{4}-\d{3,}"),  # case numbers
    re.compile(r"\d+"),
)


def shape(url: str) -> str:
    """The URL with its identifiers and query values replaced: two case pages have the
    same shape, and so have two filters of the inbox on the same field."""
    parts = urlsplit(url)
    path = parts.path
    for pattern in _SHAPE_RES:
        path = pattern.sub("*", path)
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return path + (f"?{'&'.join(keys)}" if keys else "")


def is_html_page(page: Page, url: str) -> bool:
    """Whether `url` is a page for this user (200, HTML), not a download or a redirect."""
    response = page.context.request.get(url, max_redirects=0)
    try:
        kind = response.headers.get("content-type", "")
        return response.status == 200 and kind.startswith("text/html")
    finally:
        response.dispose()


def answers_ok(page: Page, url: str) -> str | None:
    """None when `url` answers 200 to this context's user without a redirect."""
    response = page.context.request.get(url, max_redirects=0)
    try:
        if response.status != 200:
            location = response.headers.get("location", "")
            return f"answers {response.status}" + (f" -> {location}" if location else "")
        return None
    finally:
        response.dispose()


# --- the checks on one page -------------------------------------------------------------


def _excerpt(text: str, start: int, end: int, width: int = 40) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def text_findings(texts: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """(check, detail) for English words and the informal address in the page's texts."""
    found: list[tuple[str, str]] = []
    for text, where in texts:
        checks = (("english", ENGLISH_RE), ("je-jouw", INFORMAL_RE), ("identifier", IDENTIFIER_RE))
        for check, pattern in checks:
            found.extend(
                (check, f"{m.group(0)!r} in {_excerpt(text, *m.span())!r} ({where})")
                for m in pattern.finditer(text)
            )
    return found


def check_page(page: Page, crawl: Crawl, url: str, axe: AxeMemo, console: ConsoleLog) -> None:
    """Open `url` and run every check of this module on it."""
    console.messages.clear()
    page.set_viewport_size(WIDE)
    crawl.checked.append(crawl.path(url))
    try:
        response = page.goto(url)
    except PlaywrightError as exc:  # a download, a crash: not a page to check
        crawl.add(url, "status", f"not opened as a page: {exc.message.splitlines()[0]}")
        return
    status = response.status if response is not None else 0
    if status != 200:
        crawl.add(url, "status", f"answers {status}")
        return
    if urlsplit(page.url).path != urlsplit(url).path:
        crawl.add(url, "status", f"redirected to {crawl.path(page.url)}")
        return

    for check, detail in text_findings(page.evaluate(_TEXTS_JS, NOT_OURS)):
        crawl.add(url, check, detail)

    wide = page.evaluate(_WIDTHS_JS, True)
    if wide["scrollWidth"] > wide["clientWidth"]:
        crawl.add(
            url,
            "scroll-1280",
            f"document scrollWidth {wide['scrollWidth']} > clientWidth {wide['clientWidth']}; "
            f"sticking out: {'; '.join(wide['offenders']) or '?'}",
        )
    for scroller in wide["scrollers"]:
        crawl.add(url, "scroll-1280", f"inner horizontal scrollbar: {scroller}")

    for violation in axe.violations(page):
        crawl.add(url, "axe", violation)

    page.set_viewport_size(NARROW)
    narrow = page.evaluate(_WIDTHS_JS, False)
    if narrow["scrollWidth"] > narrow["clientWidth"]:
        crawl.add(
            url,
            "scroll-320",
            f"document scrollWidth {narrow['scrollWidth']} > clientWidth "
            f"{narrow['clientWidth']}; sticking out: {'; '.join(narrow['offenders']) or '?'}",
        )
    page.set_viewport_size(WIDE)

    for message in console.csp_violations():
        crawl.add(url, "csp", message)


def crawl_account(page: Page, crawl: Crawl, console: ConsoleLog, axe: AxeMemo) -> None:
    """From the home page: every menu page, one page of each shape of the work lists and
    below each menu page checked; every link on the home page answered with 200."""
    base = crawl.base_url
    home = f"{base}/"
    check_page(page, crawl, home, axe, console)
    page.goto(home)
    menu = same_site_links(page, "nav.integritas-nav a[href]", base)
    work = [url for url in same_site_links(page, "main a[href]", base) if urlsplit(url).path != "/"]
    if not menu:
        crawl.add(home, "menu", "no nav.integritas-nav links on the home page")

    for url in work:
        crawl.answered.append(crawl.path(url))
        problem = answers_ok(page, url)
        if problem:
            crawl.add(url, "work-list-link", f"{problem} (a link on the home page)")

    shapes = {shape(home)}
    for url in [*menu, *work]:
        if shape(url) in shapes:
            continue
        shapes.add(shape(url))
        check_page(page, crawl, url, axe, console)
        if url not in menu or urlsplit(page.url).path != urlsplit(url).path:
            continue
        # One level down from a menu page (a case from the inbox, a person from a
        # list): one page of each new shape, at most CHILDREN_PER_MENU_PAGE.
        parent = urlsplit(url).path
        children = [
            child
            for child in same_site_links(page, "main a[href]", base)
            if urlsplit(child).path.startswith(parent) and urlsplit(child).path != parent
        ]
        taken = 0
        for child in children:
            if taken == CHILDREN_PER_MENU_PAGE:
                break
            if shape(child) in shapes or not is_html_page(page, child):
                continue
            shapes.add(shape(child))
            taken += 1
            check_page(page, crawl, child, axe, console)
