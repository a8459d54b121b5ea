"""`xling models pull`: a known-good translator from the Hugging Face hub, pinned and checked.

A pull manifest (models/<name>.toml, weights.format "hf-hub") names a hub repo, a full commit
hash and the files to fetch. Nothing is trusted by name: the commit pins the repo's tree (whose
LFS pointers carry each large file's sha256), and every file fetched is hashed and compared with
the hub's record at that commit (sha256 for LFS files, the git blob id for small ones) and with
the manifest's own sha256 where it gives one. The checkpoint is then converted with CTranslate2
as `xling models convert` does, and installed whole.

Downloads go to $XLING_HOME/downloads/<name>@<commit>/ so that an interrupted pull resumes;
that folder is removed once the model is installed. huggingface_hub honours HF_ENDPOINT (a
mirror; the tests serve a local imitation of the hub's API there).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from xling.errors import BuildError, ModelError, UsageError
from xling.models import store
from xling.models.manifest import Manifest

HUB = "https://huggingface.co"
TIMEOUT = 20.0  # seconds to wait for the hub's metadata before calling it unreachable
_COMMIT = re.compile(r"^[0-9a-f]{40}$")


@dataclass(frozen=True)
class HubFile:
    """One file of the repo at the pinned commit, as the hub describes it."""

    path: str
    size: int | None
    sha256: str  # the LFS pointer's sha256; "" for a small file kept in git itself
    blob_id: str  # git's object id: sha1 of b"blob <size>\0" + content (LFS: of the pointer)


def hub_endpoint() -> str:
    """Read at call time (huggingface_hub reads HF_ENDPOINT once, at import)."""
    return (os.environ.get("HF_ENDPOINT") or HUB).rstrip("/")


def git_blob_id(path: Path, block: int = 1 << 20) -> str:
    digest = hashlib.sha1()
    digest.update(f"blob {path.stat().st_size}\0".encode())
    with open(path, "rb") as handle:
        while chunk := handle.read(block):
            digest.update(chunk)
    return digest.hexdigest()


def check_manifest(manifest: Manifest) -> None:
    w = manifest.weights
    where = manifest.path or manifest.name
    if not w.repo or "/" not in w.repo:
        raise BuildError(f"{where}: weights.repo must be a hub repo id (owner/name)")
    if not _COMMIT.match(w.revision):
        raise BuildError(
            f"{where}: weights.revision must be a full 40-hex commit hash (a branch name such as "
            f"'main' can change under the same name), not {w.revision!r}"
        )
    if not w.files:
        raise BuildError(f"{where}: weights.files lists no file to fetch")
    for path, sha in w.files.items():
        if sha and not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise BuildError(f"{where}: weights.files[{path!r}] is not a sha256 (64 hex digits)")


def _hub():
    try:
        import huggingface_hub
    except ImportError as exc:
        raise UsageError(
            "`xling models pull` needs huggingface_hub (pip install -e '.[build]')"
        ) from exc
    return huggingface_hub


def _network_error(hub, exc: BaseException) -> bool:
    """No answer at all (DNS, refused, timeout, offline mode), as opposed to an HTTP error."""
    if isinstance(exc, hub.errors.HfHubHTTPError):
        return False
    if isinstance(exc, (hub.errors.OfflineModeIsEnabled, ConnectionError, TimeoutError)):
        return True
    # huggingface_hub's HTTP client (httpx) raises its own transport errors
    return type(exc).__module__.split(".")[0].startswith("httpx") and not hasattr(exc, "response")


def _unreachable(endpoint: str, exc: BaseException, resume: bool = False) -> ModelError:
    detail = (str(exc).splitlines() or [""])[0] or type(exc).__name__
    then = "; re-run to resume the download" if resume else ""
    return ModelError(
        f"cannot reach the Hugging Face hub at {endpoint} ({detail}): `xling models pull` needs "
        "a network (or HF_ENDPOINT set to a mirror); offline, import a checkpoint folder with "
        f"`xling models convert PATH --name NAME`{then}"
    )


def hub_listing(hub, endpoint: str, repo: str, revision: str) -> dict[str, HubFile]:
    """The repo's files at `revision` with their sizes and checksums (one API call)."""
    api = hub.HfApi(endpoint=endpoint)
    try:
        info = api.model_info(repo, revision=revision, files_metadata=True, timeout=TIMEOUT)
    except hub.errors.RevisionNotFoundError as exc:
        raise BuildError(f"{repo}: the hub has no revision {revision}") from exc
    except hub.errors.RepositoryNotFoundError as exc:
        raise BuildError(f"{repo}: no such repo on the hub at {endpoint} (or it is gated)") from exc
    except Exception as exc:  # the hub client raises many types; sorted out here
        if _network_error(hub, exc):
            raise _unreachable(endpoint, exc) from exc
        raise BuildError(f"{repo}@{revision[:12]}: the hub's file listing failed: {exc}") from exc
    if info.sha and info.sha != revision:
        raise BuildError(f"{repo}: asked for commit {revision}, the hub answered {info.sha}")
    return {
        s.rfilename: HubFile(s.rfilename, s.size, s.lfs.sha256 if s.lfs else "", s.blob_id or "")
        for s in info.siblings or []
    }


def plan_files(manifest: Manifest, listing: dict[str, HubFile]) -> list[tuple[HubFile, str]]:
    """(file, sha256 the manifest expects or "") for every file to fetch, checked before any
    download: a manifest that disagrees with the hub's record fails before gigabytes move."""
    w = manifest.weights
    missing = [path for path in w.files if path not in listing]
    if missing:
        raise BuildError(
            f"{w.repo}@{w.revision[:12]} has no {', '.join(missing)} "
            f"(files there: {', '.join(sorted(listing)) or 'none'})"
        )
    planned = []
    for path, wanted in w.files.items():
        remote = listing[path]
        if wanted and remote.sha256 and wanted != remote.sha256:
            raise BuildError(
                f"{w.repo}@{w.revision[:12]}: the hub records sha256 {remote.sha256} for {path}, "
                f"the manifest {manifest.path} expects {wanted}"
            )
        planned.append((remote, wanted))
    planned += [(listing[p], "") for p in w.optional if p in listing and p not in w.files]
    return planned


def verify_file(local: Path, remote: HubFile, wanted: str) -> str:
    """The file's sha256 once it matches every record of it; else BuildError (file removed, so
    that a re-run fetches it again)."""
    problems = []
    size = local.stat().st_size
    if remote.size is not None and size != remote.size:
        problems.append(f"{size:,} bytes, the hub records {remote.size:,}")
    sha = store.sha256_file(local)
    if remote.sha256 and sha != remote.sha256:
        problems.append(f"sha256 {sha}, the hub records {remote.sha256}")
    if not remote.sha256 and remote.blob_id and git_blob_id(local) != remote.blob_id:
        problems.append(f"git blob id {git_blob_id(local)}, the hub records {remote.blob_id}")
    if wanted and sha != wanted:
        problems.append(f"sha256 {sha}, the manifest expects {wanted}")
    if problems:
        local.unlink(missing_ok=True)
        raise BuildError(f"downloaded {remote.path} is not the pinned file: {'; '.join(problems)}")
    return sha


def pull_model(
    manifest: Manifest,
    *,
    wheels_dir: Path | None = None,  # the builders' signature; a pull reads no wheels
    force: bool = False,
    log: Callable[[str], None] = print,
) -> Path:
    """Fetch, check, convert and install the manifest's model; return its folder."""
    from xling.models.importers import convert_hf_checkpoint

    check_manifest(manifest)
    hub = _hub()
    if not sys.stderr.isatty():
        from huggingface_hub.utils import disable_progress_bars

        disable_progress_bars()
    w = manifest.weights
    endpoint = hub_endpoint()
    started = time.time()
    listing = hub_listing(hub, endpoint, w.repo, w.revision)
    planned = plan_files(manifest, listing)
    total = sum(f.size or 0 for f, _ in planned)
    log(f"{manifest.name}: fetching {len(planned)} files ({total / 1e6:,.0f} MB) of {w.repo}")
    folder = store.xling_home() / "downloads" / f"{manifest.name}@{w.revision[:12]}"
    folder.mkdir(parents=True, exist_ok=True)
    checked = {}
    for remote, wanted in planned:
        try:
            local = hub.hf_hub_download(
                w.repo,
                remote.path,
                revision=w.revision,
                local_dir=folder,
                endpoint=endpoint,
                etag_timeout=TIMEOUT,
            )
        except Exception as exc:  # the hub client raises many types; sorted out here
            if _network_error(hub, exc):
                raise _unreachable(endpoint, exc, resume=True) from exc
            raise BuildError(f"{w.repo}: downloading {remote.path} failed: {exc}") from exc
        checked[remote.path] = verify_file(Path(local), remote, wanted)
    log(f"{manifest.name}: {len(checked)} files match the hub's checksums; converting")
    dest = convert_hf_checkpoint(
        folder,
        manifest.name,
        quantization=manifest.quantization,
        force=True,
        licence=manifest.licence,
        source={
            "type": "hf-hub",
            "repo": w.repo,
            "revision": w.revision,
            "path": f"{endpoint}/{w.repo}/tree/{w.revision}",
            "files": checked,
        },
    )
    shutil.rmtree(folder, ignore_errors=True)
    log(f"{manifest.name}: pulled in {time.time() - started:.0f} s into {dest}")
    return dest
