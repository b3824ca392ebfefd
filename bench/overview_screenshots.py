"""Screenshots of the operations-room overview for each demo profile (issue 20 "It must show"), written to
docs/screenshots/<profile>-overview.png by `make screenshots-overview` (outside `make test`).

    .venv/bin/python bench/overview_screenshots.py [--profile hung-yen ...] [--reuse]

For each profile: a database of its own under var/screenshots/<profile>/ (migrate, cache tables, `demo_load
--profile`; `--reuse` keeps one already loaded), gunicorn with the production settings and static files from the
apps (bench/overview_browser_settings.py), the demo's first wall-screen account (`man-hinh-…`) signed in, and
`/man-hinh/` drawn at 1920×1080 in Debian's chromium (Playwright), then scaled to 1280×720 and stored as a
palette PNG (≤ 300 KB). Nothing leaves localhost: the map draws the communes' GeoJSON with no tile server.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The communes drawn and every point layer's answer drawn (the map is made before the communes arrive, issue 20).
DRAWN_JS = """() => {
  if (!document.querySelector("[data-ioc-map][data-feature-count]")) { return false; }
  const page = document.querySelector("[data-ioc-map-page]");
  if (!page) { return true; }
  return [...page.querySelectorAll("[data-map-layer]")]
    .every(b => page.hasAttribute("data-layer-" + b.getAttribute("data-map-layer")));
}"""
PROFILES = ("hung-yen", "ba-ria-vung-tau", "ca-mau", "loc-ninh", "quang-nam")
SIZE = (1280, 720)
MAX_BYTES = 300_000


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", action="append", choices=PROFILES, help="default: every profile")
    parser.add_argument("--reuse", action="store_true", help="keep a database already loaded")
    parser.add_argument("--out-dir", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: shoot one loaded profile in this process
    return parser.parse_args(argv)


def environment(profile: str) -> dict[str, str]:
    """The profile's own deployment: its database, var directory and fixed screenshot-only secrets."""
    var = ROOT / "var" / "screenshots" / profile
    var.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "IOC_PROFILE": profile, "IOC_VAR_DIR": str(var), "SQLITE_PATH": str(var / "db.sqlite3")}
    env.update({"DEBUG": "0", "IOC_TLS": "0", "DJANGO_SETTINGS_MODULE": "config.settings"})
    for key in ("SECRET_KEY", "AUDIT_KEY", "TOKEN_HMAC_KEY", "FIELD_ENCRYPTION_KEY"):
        env[key] = f"screenshots-only-{key.lower()}-" + "s" * 40
    env.pop("DATABASE_URL", None)
    return env


def load(profile: str, env: dict[str, str], *, reuse: bool) -> None:
    """Migrate and load the profile's demo (what `scripts/demo` does before it serves)."""
    marker = Path(env["IOC_VAR_DIR"]) / "loaded"
    if reuse and marker.exists():
        return
    db = Path(env["SQLITE_PATH"])
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    manage = [str(ROOT / ".venv" / "bin" / "python"), "manage.py"]
    for command in (
        ["migrate", "--noinput", "-v", "0"],
        ["createcachetable"],
        ["createcachetable", "--database", "cache"],
        ["demo_load", "--profile", profile],
    ):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    marker.write_text("ok\n", encoding="utf-8")


def shoot(args: argparse.Namespace, profile: str) -> Path:
    """In a process configured for `profile`: serve it, draw the overview, store the PNG."""
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    from bench.open311_bench import free_port, stop_server
    from bench.overview_heap import screen_user, session_cookie, start_server
    from ioc.common.testing import CHROMIUM_ARGS

    name, value = session_cookie(screen_user(""))
    port = free_port()
    server = start_server(port, Path(tempfile.gettempdir()) / f"overview-screens-{profile}-{port}.log")
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": 1920, "height": 1080})
                context.add_cookies([{"name": name, "value": value, "url": base}])
                page = context.new_page()
                answer = page.goto(f"{base}/man-hinh/", wait_until="load")
                if answer is None or answer.status != 200:
                    raise RuntimeError(f"{profile}: /man-hinh/ answered {answer.status if answer else None}")
                page.wait_for_function(DRAWN_JS, timeout=60_000)
                page.wait_for_timeout(2_000)
                raw = page.screenshot(type="png")
            finally:
                browser.close()
    finally:
        stop_server(server)
    return store(raw, Path(args.out_dir) / f"{profile}-overview.png")


def store(raw: bytes, path: Path) -> Path:
    """Scale to SIZE and write a palette PNG, fewer colours until it fits MAX_BYTES."""
    from PIL import Image

    image = Image.open(io.BytesIO(raw)).convert("RGB").resize(SIZE, Image.Resampling.LANCZOS)
    path.parent.mkdir(parents=True, exist_ok=True)
    for colours in (256, 128, 64, 32):
        buffer = io.BytesIO()
        image.quantize(colors=colours).save(buffer, format="PNG", optimize=True)
        if buffer.tell() <= MAX_BYTES:
            break
    path.write_bytes(buffer.getvalue())
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {buffer.tell() // 1000} KB", flush=True)
    return path


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.one:
        shoot(args, args.one)
        return 0
    for profile in args.profile or PROFILES:
        env = environment(profile)
        load(profile, env, reuse=args.reuse)
        command = [str(ROOT / ".venv" / "bin" / "python"), __file__, "--one", profile, "--out-dir", args.out_dir]
        subprocess.run([*command, "--chromium", args.chromium], cwd=ROOT, env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
