"""A real IMAP server for the e-mail intake test: Debian's dovecot on a free loopback port in a temp directory.

    with dovecot_server() as server:        # skips (or fails under CI) when dovecot is missing
        server.append(raw_bytes)
        ... ImapSource(host=server.host, port=server.port, user=server.user, password=server.password,
                       use_ssl=False) ...

Runs in the foreground (`dovecot -F`) as a child process and is stopped by its own pid. As root, dovecot's own
unprivileged users serve the mailbox; otherwise everything runs as the current user (no chroot).
"""

from __future__ import annotations

import contextlib
import getpass
import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ioc.common.testing import require_component

INSTALL = "sudo bash scripts/system-deps"


@dataclass
class DovecotServer:
    host: str
    port: int
    user: str
    password: str
    root: Path

    def client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        client.login(self.user, self.password)
        client.select("INBOX")
        return client

    def append(self, raw: bytes) -> None:
        client = self.client()
        try:
            status, data = client.append("INBOX", None, None, raw)
            assert status == "OK", data
        finally:
            client.logout()

    def unseen(self) -> list[bytes]:
        client = self.client()
        try:
            _status, data = client.uid("SEARCH", "UNSEEN")
            return (data[0] or b"").split()
        finally:
            client.logout()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _identity() -> dict[str, str]:
    """Who runs what: dovecot's own users as root; the current user otherwise."""
    if os.geteuid() == 0:
        mail = pwd.getpwnam("dovecot")
        return {
            "internal": "dovecot",
            "login": "dovenull",
            "uid": str(mail.pw_uid),
            "gid": str(mail.pw_gid),
            "chroot": "",
        }
    return {
        "internal": getpass.getuser(),
        "login": getpass.getuser(),
        "uid": str(os.getuid()),
        "gid": str(os.getgid()),
        "chroot": "  chroot =\n",
    }


CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
default_internal_user = {internal}
default_internal_group = {internal_group}
default_login_user = {login}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{root}/home/%u/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
{chroot}  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
{chroot}}}
service stats {{
{chroot}}}
"""


def _wait_ready(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited: {log.read_text() if log.exists() else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            if sock.recv(64).startswith(b"* OK"):
                return
        time.sleep(0.05)
    raise RuntimeError("dovecot did not start listening in 15 s")


@contextlib.contextmanager
def dovecot_server() -> Iterator[DovecotServer]:
    """A fresh dovecot with one user `ioc` and an empty INBOX, stopped and removed afterwards."""
    binary = require_component("/usr/sbin/dovecot", install=INSTALL)
    root = Path(tempfile.mkdtemp(prefix="ioc-dovecot-"))
    ident = _identity()
    port = _free_port()
    password = "intake-test-" + os.urandom(6).hex()
    for name in ("run", "state", "home"):
        (root / name).mkdir()
    (root / "passwd").write_text(f"ioc:{{PLAIN}}{password}\n")
    (root / "dovecot.conf").write_text(
        CONFIG.format(
            root=root,
            port=port,
            internal_group=grp.getgrgid(pwd.getpwnam(ident["internal"]).pw_gid).gr_name,
            **ident,
        )
    )
    root.chmod(0o755)
    os.chown(root / "home", int(ident["uid"]), int(ident["gid"]))
    process = subprocess.Popen(
        [binary, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_ready(port, process, root / "dovecot.log")
        yield DovecotServer(host="127.0.0.1", port=port, user="ioc", password=password, root=root)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        shutil.rmtree(root, ignore_errors=True)
