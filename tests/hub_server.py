"""A local imitation of the Hugging Face hub, enough for huggingface_hub's `model_info` and
`hf_hub_download` (pointed at it with HF_ENDPOINT): the API's file listing with LFS sha256 and
git blob ids, and the resolve endpoint's headers (X-Repo-Commit, ETag, X-Linked-Etag,
X-Linked-Size, Content-Length, X-Error-Code) as the hub sends them.

Each repo is a local folder served at one commit (a sha1 of its listing). `tamper` serves other
bytes for a file than the listing records, as a corrupt mirror or a man in the middle would.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

# What the hub's .gitattributes sends to LFS (the rest lives in git itself).
LFS_SUFFIXES = (".bin", ".safetensors", ".spm", ".model", ".h5", ".zip")


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def lfs_pointer(data: bytes) -> bytes:
    sha = hashlib.sha256(data).hexdigest()
    return (
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha}\nsize {len(data)}\n"
    ).encode()


@dataclass
class Repo:
    folder: Path
    files: dict[str, bytes] = field(default_factory=dict)
    commit: str = ""

    def __post_init__(self) -> None:
        self.files = {
            p.relative_to(self.folder).as_posix(): p.read_bytes()
            for p in sorted(self.folder.rglob("*"))
            if p.is_file()
        }
        listing = json.dumps({k: hashlib.sha256(v).hexdigest() for k, v in self.files.items()})
        self.commit = hashlib.sha1(listing.encode()).hexdigest()

    def sibling(self, path: str) -> dict:
        data = self.files[path]
        if path.endswith(LFS_SUFFIXES):
            pointer = lfs_pointer(data)
            return {
                "rfilename": path,
                "size": len(data),
                "blobId": git_blob_id(pointer),
                "lfs": {
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "size": len(data),
                    "pointerSize": len(pointer),
                },
            }
        return {"rfilename": path, "size": len(data), "blobId": git_blob_id(data)}


class FakeHub:
    def __init__(self, repos: dict[str, Path]):
        self.repos = {name: Repo(folder) for name, folder in repos.items()}
        self.tamper: dict[tuple[str, str], bytes] = {}
        self.requests: list[str] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                hub.handle(self, body=True)

            def do_HEAD(self) -> None:
                hub.handle(self, body=False)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeHub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- requests ---------------------------------------------------------------------
    def handle(self, request: BaseHTTPRequestHandler, body: bool) -> None:
        path = unquote(urlsplit(request.path).path)
        self.requests.append(f"{request.command} {path}")
        parts = path.strip("/").split("/")
        if parts[:2] == ["api", "models"] and len(parts) == 6 and parts[4] == "revision":
            self.model_info(request, f"{parts[2]}/{parts[3]}", parts[5], body)
        elif len(parts) >= 5 and parts[2] == "resolve":
            self.resolve(request, f"{parts[0]}/{parts[1]}", parts[3], "/".join(parts[4:]), body)
        else:
            self.send(request, 404, b"not found", {"X-Error-Code": "RepoNotFound"}, body)

    def _repo(self, request, name: str, revision: str, body: bool) -> Repo | None:
        repo = self.repos.get(name)
        if repo is None:
            self.send(request, 404, b"", {"X-Error-Code": "RepoNotFound"}, body)
            return None
        if revision not in (repo.commit, "main"):
            self.send(request, 404, b"", {"X-Error-Code": "RevisionNotFound"}, body)
            return None
        return repo

    def model_info(self, request, name: str, revision: str, body: bool) -> None:
        repo = self._repo(request, name, revision, body)
        if repo is None:
            return
        data = {
            "id": name,
            "sha": repo.commit,
            "siblings": [repo.sibling(p) for p in repo.files],
        }
        self.send(
            request, 200, json.dumps(data).encode(), {"Content-Type": "application/json"}, body
        )

    def resolve(self, request, name: str, revision: str, path: str, body: bool) -> None:
        repo = self._repo(request, name, revision, body)
        if repo is None:
            return
        if path not in repo.files:
            headers = {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": repo.commit}
            self.send(request, 404, b"", headers, body)
            return
        record = repo.sibling(path)
        data = self.tamper.get((name, path), repo.files[path])
        headers = {"X-Repo-Commit": repo.commit, "ETag": f'"{record["blobId"]}"'}
        if "lfs" in record:
            headers["X-Linked-Etag"] = f'"{record["lfs"]["sha256"]}"'
            headers["X-Linked-Size"] = str(record["lfs"]["size"])
        self.send(request, 200, data, headers, body)

    @staticmethod
    def send(request, status: int, data: bytes, headers: dict[str, str], body: bool) -> None:
        request.send_response(status)
        for key, value in headers.items():
            request.send_header(key, value)
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        if body:
            request.wfile.write(data)
