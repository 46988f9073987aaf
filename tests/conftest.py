"""Shared fixtures: the real configuration, knowledge and model, plus a fake embedder for fast tests."""
from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from assistant.config import Config, load_config
from assistant.loader import load_knowledge
from assistant.policy import KnowledgeBase
from tests.fakes import FakeEmbedder

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The shipped config.yaml, writing its index and data into a temporary folder."""
    scratch = tmp_path_factory.mktemp("repo")
    # A model fitted before in this checkout (by a first start, or benchmarks/quality.py) is found as a
    # second start finds it, so the inner loop does not fit again; a fresh clone has none and fits.
    fitted = ROOT / "data" / "tuned"
    for folder in sorted(fitted.glob("*/tuned.json")) if fitted.is_dir() else ():
        (scratch / "data" / "tuned").mkdir(parents=True, exist_ok=True)
        (scratch / "data" / "tuned" / folder.parent.name).symlink_to(folder.parent, target_is_directory=True)
    return dataclasses.replace(load_config(ROOT / "config.yaml"), index_dir=scratch / "embeddings",
                               data_dir=scratch / "data")


@pytest.fixture(scope="session")
def kb(repo_config: Config) -> KnowledgeBase:
    return load_knowledge(repo_config.knowledge_dir)


@pytest.fixture(scope="session")
def real_embedder(repo_config: Config, kb: KnowledgeBase):
    """The shipped model, fitted to the shipped examples as the product fits it."""
    from assistant.tuning import tuned_embedder

    return tuned_embedder(repo_config, kb)


@pytest.fixture
def data_dir(tmp_path: Path, real_embedder) -> Path:
    """A test's own data folder, which finds the session's fitted model as a first start would find
    one fitted before (a link to it), instead of fitting it again (2.5 minutes for every CLI test)."""
    fitted = Path(real_embedder.location)
    (tmp_path / "data" / "tuned").mkdir(parents=True)
    (tmp_path / "data" / "tuned" / fitted.name).symlink_to(fitted, target_is_directory=True)
    return tmp_path / "data"


@pytest.fixture(scope="session")
def engine(repo_config: Config, real_embedder):
    """The real engine: bundled model, real FAISS index, shipped knowledge."""
    from assistant.engine import Engine

    return Engine.build(repo_config, real_embedder)


@pytest.fixture
def index_copy(tmp_path: Path, engine, repo_config: Config) -> Path:
    """A test's own copy of the shipped knowledge's index, built once by the session's engine: a
    command run on it loads it as a second start would, instead of building it again."""
    target = tmp_path / "embeddings"
    shutil.copytree(repo_config.index_dir, target)
    return target


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge folder."""
    target = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", target)
    return target


@pytest.fixture
def scratch_config(repo_config: Config, knowledge_copy: Path, tmp_path: Path) -> Config:
    """Config over a writable knowledge copy, with its own index and data folders."""
    return dataclasses.replace(repo_config, knowledge_dir=knowledge_copy,
                               index_dir=tmp_path / "embeddings", data_dir=tmp_path / "data")
