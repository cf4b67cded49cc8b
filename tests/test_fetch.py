"""fetch_mnist against a local HTTP server on 127.0.0.1: mirrors down, corrupt, flaky, slow; resume; skip."""

from __future__ import annotations

import contextlib
import gzip
import shutil
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

from digitocr.cli import main
from digitocr.data import fetch, mnist
from digitocr.errors import DataError

PUBLIC_MIRRORS = list(fetch.DEFAULT_MIRRORS)  # before any test empties the list
LABELS = mnist.FILES["test-labels"]
IMAGES = mnist.FILES["test-images"]


class Handler(BaseHTTPRequestHandler):
    """Serves /<route>/<name>.gz. Routes: good, corrupt (valid gzip, wrong MD5), norange (ignores Range),
    flaky (503 the first time per file), cut (sends half the first time per file), slow (answers late);
    anything else is a 404. Every request is logged as (route, name, Range header, status, bytes sent)."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        server = self.server
        _, route, name = (self.path.split("/", 2) + ["", ""])[:3]
        first_time = (route, name) not in server.seen
        server.seen.add((route, name))
        asked = self.headers.get("Range")
        content = server.corrupt.get(name) if route == "corrupt" else server.files.get(name)
        if route == "slow":
            time.sleep(1.5)
        if content is None or route not in ("good", "corrupt", "norange", "flaky", "cut", "slow"):
            return self.answer(route, name, asked, 404, b"")
        if route == "flaky" and first_time:
            return self.answer(route, name, asked, 503, b"")
        start = int(asked.removeprefix("bytes=").split("-")[0]) if asked and route != "norange" else 0
        if start >= len(content) and asked:
            return self.answer(route, name, asked, 416, b"")
        body = content[start:]
        headers = {"Content-Range": f"bytes {start}-{len(content) - 1}/{len(content)}"} if start else {}
        if route == "cut" and first_time:
            return self.answer(route, name, asked, 200, body, send=body[: len(body) // 2])
        return self.answer(route, name, asked, 206 if start else 200, body, headers)

    def answer(self, route, name, asked, status, body, headers=None, send=None):
        send = body if send is None else send
        self.server.log.append((route, name, asked, status, len(send)))
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up (the slow route)
            self.wfile.write(send)
        self.close_connection = True

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def payloads(mnist_dir) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The shared .gz files by name, and for each a corrupt twin: valid gzip, one byte changed inside."""
    files, corrupt = {}, {}
    for spec in mnist.FILES.values():
        raw = (mnist_dir / f"{spec.name}.gz").read_bytes()
        content = bytearray(gzip.decompress(raw))
        content[-1] ^= 0x01
        files[f"{spec.name}.gz"] = raw
        corrupt[f"{spec.name}.gz"] = gzip.compress(bytes(content), compresslevel=1)
    return files, corrupt


@pytest.fixture
def server(payloads):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.files, httpd.corrupt = payloads
    httpd.log, httpd.seen = [], set()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    httpd.url = lambda route: f"http://127.0.0.1:{httpd.server_address[1]}/{route}/"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def local_only(monkeypatch) -> list[str]:
    """No public mirror, and proof that nothing is opened outside 127.0.0.1; returns the URLs opened."""
    opened: list[str] = []
    real = fetch.open_url

    def guarded(url, headers, timeout):
        assert urlparse(url).hostname == "127.0.0.1", f"tests must not leave 127.0.0.1: {url}"
        opened.append(url)
        return real(url, headers, timeout)

    monkeypatch.setattr(fetch, "DEFAULT_MIRRORS", [])
    monkeypatch.setattr(fetch, "open_url", guarded)
    return opened


@pytest.fixture
def only(monkeypatch):
    """Restrict fetching to some of the four files (the small ones keep the tests quick)."""
    def restrict(*keys):
        monkeypatch.setattr(mnist, "FILES", {k: v for k, v in mnist.FILES.items() if k in keys})
    return restrict


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/mnist/"


def get(dest: Path, mirrors: list[str], **kwargs) -> Path:
    kwargs = {"retries": 2, "timeout": 5, "backoff": 0, "use_default_mirrors": False} | kwargs
    return fetch.fetch_mnist(dest, mirrors, **kwargs)


def test_clean_fetch_of_all_four_files(server, tmp_path, capsys):
    dest = tmp_path / "new" / "mnist"
    assert get(dest, [server.url("good")]) == dest
    assert sorted(p.name for p in dest.iterdir()) == sorted(f"{s.name}.gz" for s in mnist.FILES.values())
    images, labels = mnist.load_split("train", dest)  # verified by MD5
    assert labels[:5].tolist() == [5, 0, 4, 1, 9]
    assert mnist.load_split("test", dest)[1][:5].tolist() == [7, 2, 1, 0, 4]
    assert {(r[0], r[3]) for r in server.log} == {("good", 200)} and len(server.log) == 4
    err = capsys.readouterr().err
    for spec in mnist.FILES.values():
        assert f"{spec.name}.gz" in err


def test_mirror_down_is_retried_then_skipped(server, tmp_path, only, local_only, capsys):
    only("test-labels")
    down = closed_port_url()
    get(tmp_path, [down, server.url("good")], retries=3)
    assert mnist.load_path(tmp_path / f"{LABELS.name}.gz", LABELS).shape == (10_000,)
    assert local_only.count(f"{down}{LABELS.name}.gz") == 3
    err = capsys.readouterr().err
    assert "unreachable" in err and "retrying" in err and "skipping this mirror" in err


def test_corrupt_file_is_deleted_and_next_mirror_used(server, tmp_path, only):
    only("test-labels", "test-images")
    get(tmp_path, [server.url("corrupt"), server.url("good")])
    assert [r[0] for r in server.log] == ["corrupt", "good", "corrupt", "good"]  # one try each: no retry
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{IMAGES.name}.gz", f"{LABELS.name}.gz"]
    mnist.load_split("test", tmp_path)


def test_server_error_is_retried_on_the_same_mirror(server, tmp_path, only):
    only("test-labels")
    get(tmp_path, [server.url("flaky")])
    assert [r[3] for r in server.log] == [503, 200]


def test_timeout_moves_on(server, tmp_path, only, capsys):
    only("test-labels")
    get(tmp_path, [server.url("slow"), server.url("good")], retries=1, timeout=0.3)
    assert server.log[-1][0] == "good" and (tmp_path / f"{LABELS.name}.gz").is_file()
    assert "timed out" in capsys.readouterr().err


def test_resume_a_truncated_part_with_a_range_request(server, tmp_path, only, payloads):
    only("test-images")
    whole = payloads[0][f"{IMAGES.name}.gz"]
    half = len(whole) // 2
    (tmp_path / f"{IMAGES.name}.gz.part").write_bytes(whole[:half])
    get(tmp_path, [server.url("good")])
    assert server.log == [("good", f"{IMAGES.name}.gz", f"bytes={half}-", 206, len(whole) - half)]
    assert (tmp_path / f"{IMAGES.name}.gz").read_bytes() == whole
    assert not (tmp_path / f"{IMAGES.name}.gz.part").exists()


def test_connection_cut_midway_is_resumed(server, tmp_path, only, payloads):
    only("test-images")
    whole = payloads[0][f"{IMAGES.name}.gz"]
    get(tmp_path, [server.url("cut")])
    (first, second) = server.log
    assert first[2] is None and first[3] == 200 and first[4] < len(whole)
    assert second[2] == f"bytes={first[4]}-" and second[3] == 206
    assert (tmp_path / f"{IMAGES.name}.gz").read_bytes() == whole


def test_server_ignoring_range_starts_over(server, tmp_path, only, payloads):
    only("test-images")
    whole = payloads[0][f"{IMAGES.name}.gz"]
    (tmp_path / f"{IMAGES.name}.gz.part").write_bytes(whole[:1000])
    get(tmp_path, [server.url("norange")])
    assert server.log == [("norange", f"{IMAGES.name}.gz", "bytes=1000-", 200, len(whole))]
    assert (tmp_path / f"{IMAGES.name}.gz").read_bytes() == whole


def test_part_from_another_mirror_is_downloaded_again_whole(server, tmp_path, only, mnist_dir):
    only("test-labels")
    other = gzip.compress(gzip.decompress((mnist_dir / f"{LABELS.name}.gz").read_bytes()), compresslevel=1)
    (tmp_path / f"{LABELS.name}.gz.part").write_bytes(other[: len(other) // 2])  # other mirrors' .gz bytes differ
    get(tmp_path, [server.url("good")])
    assert [(r[2] is not None, r[3]) for r in server.log] == [(True, 206), (False, 200)]
    mnist.load_path(tmp_path / f"{LABELS.name}.gz", LABELS)


def test_complete_part_is_just_verified_and_renamed(server, tmp_path, only, payloads):
    only("test-labels")
    (tmp_path / f"{LABELS.name}.gz.part").write_bytes(payloads[0][f"{LABELS.name}.gz"])
    get(tmp_path, [server.url("good")])
    assert [r[3] for r in server.log] == [416]
    assert (tmp_path / f"{LABELS.name}.gz").read_bytes() == payloads[0][f"{LABELS.name}.gz"]


def test_valid_files_are_not_downloaded_again(server, tmp_path, only, mnist_dir, capsys):
    only("test-labels", "test-images")
    shutil.copy(mnist_dir / f"{IMAGES.name}.gz", tmp_path)
    (tmp_path / LABELS.name).write_bytes(gzip.decompress((mnist_dir / f"{LABELS.name}.gz").read_bytes()))
    get(tmp_path, [server.url("good")])
    assert server.log == []
    assert capsys.readouterr().err.count("present and verified") == 2


def test_broken_files_in_dest_are_replaced(server, tmp_path, only, payloads):
    only("test-labels", "test-images")
    (tmp_path / LABELS.name).write_bytes(b"not mnist at all")  # would shadow a good .gz
    (tmp_path / f"{IMAGES.name}.gz").write_bytes(payloads[1][f"{IMAGES.name}.gz"])
    get(tmp_path, [server.url("good")])
    assert sorted(r[1] for r in server.log) == sorted([f"{IMAGES.name}.gz", f"{LABELS.name}.gz"])
    assert not (tmp_path / LABELS.name).exists()
    mnist.load_split("test", tmp_path)


def test_every_mirror_bad_raises_naming_the_file_and_last_reason(server, tmp_path, only):
    only("test-labels")
    with pytest.raises(DataError) as err:
        get(tmp_path, [closed_port_url(), server.url("corrupt"), server.url("missing")])
    assert str(err.value) == (f"{tmp_path / LABELS.name}.gz: no mirror gave a good copy "
                              f"(last: {server.url('missing')}{LABELS.name}.gz: HTTP 404 Not Found)")
    assert list(tmp_path.iterdir()) == []  # no .part, no half file


def test_default_mirrors_follow_the_given_ones(server, tmp_path, only, monkeypatch):
    assert fetch.mirror_list(["http://a/x", "http://a/x/"], use_default_mirrors=False) == ["http://a/x/"]
    only("test-labels")
    monkeypatch.setattr(fetch, "DEFAULT_MIRRORS", [server.url("missing"), server.url("good")])
    assert fetch.mirror_list([server.url("good")]) == [server.url("good"), server.url("missing")]
    fetch.fetch_mnist(tmp_path, retries=1, backoff=0)  # no mirrors given: the defaults are used
    assert [r[0] for r in server.log] == ["missing", "good"]


def test_public_mirrors_are_listed():
    assert len(PUBLIC_MIRRORS) >= 2
    assert all(url.startswith("https://") and url.endswith("/mnist/") for url in PUBLIC_MIRRORS)


def test_cli_fetch(server, tmp_path, only, capsys):
    only("test-labels")
    assert main(["data", "fetch", "--dest", str(tmp_path), "--mirror", server.url("good"), "--retries", "1"]) == 0
    assert f"MNIST verified in {tmp_path}" in capsys.readouterr().out
    assert main(["data", "fetch", "--dest", str(tmp_path / "x"), "--mirror", server.url("missing")]) == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith(f"digitocr: error: {tmp_path / 'x' / LABELS.name}.gz: no mirror gave a good copy")
