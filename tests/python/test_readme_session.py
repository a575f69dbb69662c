"""README's sessions, run as shown on a mesh set up as the quickstart sets it up: each `$ `
command of the block marked `scripting-session` runs in one bash session and prints exactly the
lines README shows under it; the block marked `python-session` runs with Debian's python3 and
prints what its comments say."""
import os
import pathlib
import re
import subprocess

from mesh_cli import DATAMESH, cli, clean_env, set_up_mesh

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"
MARK = "@@datamesh-session@@"


def session_block():
    text = README.read_text()
    start = text.index("<!-- scripting-session")
    block = text[start:].split("```console\n", 1)[1].split("```", 1)[0]
    steps = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            steps[-1][1].append(line)
    return steps


def quickstart_mesh(tmp_path):
    """The mesh the quickstart leaves, in tmp_path/quickstart-mesh: (database, credentials file)."""
    (tmp_path / "quickstart-mesh").mkdir()
    db, creds = str(tmp_path / "quickstart-mesh" / "mesh.db"), str(tmp_path / "quickstart-mesh" / "credentials.json")
    cli("local", "init", "--db", db, "--write-credentials", creds)
    common = ["--local", db, "--credentials-file", creds, "--quiet"]
    set_up_mesh(common, demo_database="sales")
    cli("create-data-product", *common, "--source-database-name", "sales", "--table-name-regex", "orders|customers",
        "--domain", "Retail", "--data-product-name", "Sales")
    return db, creds


def test_the_readme_scripting_session_runs_as_shown(tmp_path):
    db, creds = quickstart_mesh(tmp_path)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "datamesh").symlink_to(os.path.abspath(DATAMESH))
    steps = session_block()
    script = "set -e\n" + "".join(f"{command}\necho {MARK}\n" for command, _ in steps)
    env = clean_env()
    env.update({"PATH": f"{bin_dir}:{env['PATH']}", "DATAMESH_LOCAL": db, "c": creds})
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    outputs = r.stdout.split(MARK + "\n")
    for (command, expected), got in zip(steps, outputs):
        assert got.splitlines() == expected, f"$ {command}\nREADME shows:\n{expected}\nit printed:\n{got}"


def test_the_readme_python_session_runs_as_shown(tmp_path):
    quickstart_mesh(tmp_path)
    text = README.read_text()
    block = text[text.index("<!-- python-session"):].split("```python\n", 1)[1].split("```", 1)[0]
    expected = [line.split("#")[1].strip() for line in block.splitlines() if line.startswith("print(")]
    env = clean_env()
    r = subprocess.run(["/usr/bin/python3", "-c", block], capture_output=True, text=True, env=env, cwd=tmp_path,
                       timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == expected
