"""Connecting to Ray: a private loopback-only instance, or an existing cluster by address."""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import os
from collections.abc import Iterator
from types import ModuleType

from xling.errors import XlingError

INSTALL_HINT = "pip install 'xling[ray]'"
_LOCAL_ONLY = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"


def import_ray() -> ModuleType:
    try:
        import ray
    except ImportError as exc:
        raise XlingError(f"--ray needs Ray, which is not installed: {INSTALL_HINT}") from exc
    return ray


def _is_loopback(address: str) -> bool:
    host = address.removeprefix("ray://").rsplit(":", 1)[0].strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextlib.contextmanager
def _loopback_only() -> Iterator[None]:
    """Make Ray advertise and bind 127.0.0.1 instead of the machine's routable address.

    `_node_ip_address="127.0.0.1"` alone is not enough: ray.init rewrites a loopback node address
    to the routable one, and its servers then listen on every interface. Ray's local-only mode
    (the one it uses on macOS and Windows) is what keeps everything on loopback: a flag Ray reads
    from this variable at import, in the processes ray.init starts; this driver imported Ray
    already, so its copy of the flag is set directly, for the duration of ray.init.
    """
    saved = os.environ.get(_LOCAL_ONLY)
    os.environ[_LOCAL_ONLY] = "0"
    import ray._private.ray_constants as constants

    flag, constants.ENABLE_RAY_CLUSTER = constants.ENABLE_RAY_CLUSTER, False
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(_LOCAL_ONLY, None)
        else:
            os.environ[_LOCAL_ONLY] = saved
        constants.ENABLE_RAY_CLUSTER = flag


@contextlib.contextmanager
def ray_session(address: str | None, num_cpus: int | None = None) -> Iterator[ModuleType]:
    """Yield the `ray` module connected to a cluster; disconnect (and stop a private one) after.

    address None: start a private instance on loopback with `num_cpus` CPUs (default: all).
    address "auto" or HOST:PORT: join that cluster as a driver (its nodes must have xling and
    the model at the same paths, e.g. on a shared filesystem).
    """
    local = address is None or _is_loopback(address)
    ray = import_ray()
    if ray.is_initialized():  # a caller (a test, a notebook) already connected: use that
        yield ray
        return
    common = {
        "include_dashboard": False,
        "log_to_driver": False,  # worker errors come back as exceptions; their logs stay on disk
        "logging_level": logging.ERROR,
        "namespace": "xling",
    }
    try:
        with _loopback_only() if local else contextlib.nullcontext():
            if address is None:
                ray.init(
                    address="local",
                    num_cpus=num_cpus or os.cpu_count() or 1,
                    _node_ip_address="127.0.0.1",
                    **common,
                )
            else:
                ray.init(address=address, **common)
    except (ConnectionError, ValueError, RuntimeError) as exc:
        hint = ""
        if address and "auth" in str(exc.__cause__ or exc).lower():
            hint = "; a cluster with token auth needs RAY_AUTH_MODE=token and its token"
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        where = f"--ray {address}" if address else "--ray"
        raise XlingError(f"{where}: cannot start or join Ray ({first}){hint}") from exc
    try:
        yield ray
    finally:
        ray.shutdown()
