"""Browser fixtures: the test app served on a real port, one headless Chromium per run, a phone-sized page.

Debian's Chromium (/usr/bin/chromium) is used, never a downloaded browser. Without it the browser tests are
skipped on a developer's machine; in CI (the CI variable set) they must run, so a missing browser fails.
"""
import os
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}

# Reports every Content-Security-Policy violation to the test, whatever page the browser is on.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__reportCspViolation(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                              " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def live_server(app):
    """Serve the test `app` (same database) on 127.0.0.1 and a free port; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not os.path.exists(CHROMIUM) and not os.environ.get("CI"):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium, or `make test`); browser tests need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh phone-sized page (390x844) with its own cookies.

    Console errors, CSP violations, uncaught exceptions and failed sub-resources (CSS, JS, images) fail the test.
    """
    context = browser.new_context(viewport=PHONE, base_url=live_server)
    context.set_default_timeout(10_000)
    problems = []
    context.expose_binding("__reportCspViolation", lambda source, text: problems.append(f"CSP violation: {text}"))
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()

    def on_console(msg):
        # Chromium logs every HTTP error status as "Failed to load resource", the page's own 422 (a form
        # with errors) included; the response listener below judges those, so that only sub-resources count.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            problems.append(f"console {msg.type}: {msg.text} ({page.url})")

    def on_response(response):
        if response.request.resource_type != "document" and response.status >= 400:
            problems.append(f"HTTP {response.status} for {response.url} ({page.url})")

    def on_request_failed(request):
        if request.failure != "net::ERR_ABORTED":  # aborted by the next navigation: not the page's fault
            problems.append(f"request failed: {request.url}: {request.failure} ({page.url})")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.on("pageerror", lambda error: problems.append(f"uncaught exception: {error} ({page.url})"))
    page.problems = problems
    yield page
    context.close()
    if problems:
        pytest.fail("the page reported problems:\n" + "\n".join(problems), pytrace=False)
