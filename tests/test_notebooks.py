"""Every notebook runs top to bottom in a real Jupyter kernel, on a sandbox, without an error output.

The kernel is this project's Python (a kernelspec written for the test points at `sys.executable`), runs in
`notebooks/` (so relative paths like data/… work) with no P1_* settings (so the notebooks use the sandbox) and
with Jupyter's and IPython's state in a temporary folder.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK_DIR = Path(__file__).parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
KERNEL = "pharmaone-ops-test"


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    home = tmp_path_factory.mktemp("jupyter")
    spec_dir = home / "data" / "kernels" / KERNEL
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "pharmaone-ops (test)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if name.startswith("P1_")]:
            patch.delenv(name)
        patch.setenv("JUPYTER_PATH", str(home / "data"))
        for variable, folder in [
            ("JUPYTER_CONFIG_DIR", "config"),
            ("JUPYTER_DATA_DIR", "data"),
            ("JUPYTER_RUNTIME_DIR", "runtime"),
            ("IPYTHONDIR", "ipython"),
            ("MPLCONFIGDIR", "matplotlib"),
        ]:
            patch.setenv(variable, str(home / folder))
        patch.delenv("MPLBACKEND", raising=False)  # the kernel's own inline backend draws the plots
        yield


def _build_script():
    spec = importlib.util.spec_from_file_location("build_notebooks", NOTEBOOK_DIR / "build_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_notebook_is_committed() -> None:
    assert [path.name for path in NOTEBOOKS] == sorted(_build_script().NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_is_committed_clean_as_built(path: Path) -> None:
    committed = nbformat.read(path, as_version=4)
    assert all(cell.get("outputs", []) == [] for cell in committed.cells)
    assert all(cell.get("execution_count") is None for cell in committed.cells if cell.cell_type == "code")
    assert committed == _build_script().build(path.name), f"rebuild with notebooks/build_notebooks.py: {path}"


@pytest.mark.timeout(240)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_top_to_bottom_on_the_sandbox(path: Path, kernel_env: None) -> None:
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name=KERNEL,
        timeout=180,
        allow_errors=True,  # collect every error below instead of stopping at the first
        resources={"metadata": {"path": str(NOTEBOOK_DIR)}},
    )
    client.execute()

    errors = [
        f"cell {number}: {output.get('ename')}: {output.get('evalue')}"
        for number, cell in enumerate(notebook.cells)
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    assert errors == []
    sandbox_lines = [
        text
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "stream"
        for text in output.text.splitlines()
        if "embedded sandbox" in text
    ]
    assert sandbox_lines, "the notebook did not connect to the sandbox"
