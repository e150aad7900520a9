"""Screenshots of the main pages for the README, made from the running demo, so they stay true.

    .venv/bin/python bin/screenshots.py            # starts its own demo in var-screenshots/
    .venv/bin/python bin/screenshots.py --keep     # ... and leaves that folder for a next run

It starts `python -m fnvregio.run demo` (embedded PostgreSQL and Redis in its own folder),
reads the demo logins and TOTP secrets it prints, logs in as each role through the real
login pages in Debian's Chromium (Playwright), saves docs/screenshots/<name>.jpg, and stops
the demo (its whole process group) in a finally.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import hmac
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
OUT = BASE_DIR / "docs" / "screenshots"
PASSWORD = "FNV-demo-2026!"

# (file name, role or "" for a visitor, path, what to do on the page before the shot)
SHOTS = [
    ("01-voordeur", "", "/", None),
    ("02-vakbondshuizen", "", "/vakbondshuizen/?postcode=3511+AB", None),
    ("03-bijeenkomsten", "", "/bijeenkomsten/", None),
    ("04-lid-home", "lid", "/", None),
    ("05-afspraak-maken", "lid", "/afspraken/maken/", None),
    ("06-spreekuur-vastleggen", "consulent1", "/spreekuren/nieuw/", None),
    ("07-signalen", "sectorbestuurder", "/signalen/", None),
    ("08-regiodashboard", "regiobestuurder", "/dashboard/", None),
    ("09-regioplan", "regiobestuurder", "/regioplannen/", "plan"),
    ("10-doorverwijzingen", "juridisch", "/doorverwijzingen/", None),
]
PHONE_SHOTS = [
    ("11-voordeur-telefoon", "", "/"),
    ("12-lid-home-telefoon", "lid", "/"),
    ("13-afspraken-telefoon", "lid", "/afspraken/"),
]


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 (SHA-1, 30 s, 6 digits), as the portal's TOTP; the stdlib suffices for a script."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((at or time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def start_demo(var_dir: Path) -> tuple[subprocess.Popen, str, dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(FNV_VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "fnvregio.run", "demo", "--members", "500"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    secrets: dict[str, str] = {}
    deadline = time.monotonic() + 600
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            raise SystemExit("the demo stopped before it was ready")
        found = re.search(r"(\S+@demo\.fnv-regio\.nl)\s+TOTP-geheim: (\S+)", line)
        if found:
            secrets[found.group(1)] = found.group(2)
        ready = re.search(r"draait op (http://127\.0\.0\.1:\d+/)", line)
        if ready:
            return process, ready.group(1).rstrip("/"), secrets
    raise SystemExit("the demo did not start within 10 minutes")


def stop_demo(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def log_in(page, base: str, email: str, secret: str | None) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    if secret:
        page.wait_for_url("**/accounts/2fa/authenticate/**")
        page.get_by_label("Code", exact=True).fill(totp(secret))
        page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state("networkidle")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", action="store_true", help="keep var-screenshots/ afterwards")
    parser.add_argument("--var-dir", type=Path, default=BASE_DIR / "var-screenshots")
    parser.add_argument("--only", default="", help="only the shots whose name contains this")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    var_dir = args.var_dir
    OUT.mkdir(parents=True, exist_ok=True)
    process, base, secrets = start_demo(var_dir)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
                args=["--headless=new", "--no-sandbox", "--disable-gpu"],
            )
            contexts: dict[str, object] = {}
            for name, role, path, action in SHOTS:
                if args.only not in name:
                    continue
                if role not in contexts:
                    context = browser.new_context(
                        viewport={"width": 1280, "height": 860}, locale="nl-NL"
                    )
                    if role:
                        email = f"{role}@demo.fnv-regio.nl"
                        log_in(context.new_page(), base, email, secrets.get(email))
                    contexts[role] = context
                page = contexts[role].new_page()  # type: ignore[attr-defined]
                page.goto(base + path)
                if action == "plan":  # the region's newest plan
                    page.get_by_role("link", name=re.compile(r"Midden-Utrecht \d{4}")).first.click()
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}.jpg"
                page.screenshot(path=str(target), type="jpeg", quality=75, full_page=False)
                print(f"{target.relative_to(BASE_DIR)}  ({page.url.replace(base, '')})")
                page.close()
            # At 375 px: the front door, and a member's home and booking (the cards and steps).
            for name, role, path in PHONE_SHOTS:
                if args.only not in name:
                    continue
                phone = browser.new_context(viewport={"width": 375, "height": 740}, locale="nl-NL")
                if role:
                    email = f"{role}@demo.fnv-regio.nl"
                    log_in(phone.new_page(), base, email, secrets.get(email))
                page = phone.new_page()
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}.jpg"
                page.screenshot(path=str(target), type="jpeg", quality=75)
                print(f"{target.relative_to(BASE_DIR)}  ({path} at 375 px)")
                phone.close()
            browser.close()
    finally:
        stop_demo(process)
        if not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
