"""What installing needs: Python versions admitted, a licence, and a lock file that matches what the tests run on."""
import importlib.metadata as metadata
import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_every_python_the_pinned_wheels_support_is_admitted():
    admitted = SpecifierSet(PROJECT["requires-python"])
    for version in ("3.11", "3.12", "3.13", "3.14"):  # Ubuntu 24.04's default is 3.12
        assert version in admitted, version


def test_the_licence_is_shipped():
    assert PROJECT["license"] == "MIT" and (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_the_lock_file_pins_every_package_the_project_pulls_in_at_the_version_tested():
    pins, seen = _pins(), set()
    # Our own "test" extra is installed; nothing asks for another package's extras.
    todo = [(Requirement(r), "test") for r in metadata.requires("preschool-policy-assistant") or []]
    while todo:
        requirement, extra = todo.pop()
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        if name in seen or (requirement.marker and not requirement.marker.evaluate({"extra": extra})):
            continue
        seen.add(name)
        installed = metadata.version(requirement.name).split("+")[0]  # torch's +cpu label is the index's
        assert pins.get(name) == installed, f"{name}: constraints.txt says {pins.get(name)}, installed {installed}"
        todo.extend((Requirement(r), "") for r in metadata.requires(requirement.name) or [])
