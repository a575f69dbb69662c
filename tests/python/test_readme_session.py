"""README's scripting session, run as shown: each `$ ` command of the block marked
`scripting-session` runs in one bash session on a mesh set up as the quickstart sets it up, and
prints exactly the lines README shows under it."""
import os
import pathlib
import re
import subprocess

from mesh_cli import DATAMESH, cli, clean_env

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


def test_the_readme_scripting_session_runs_as_shown(tmp_path):
    db, creds = str(tmp_path / "mesh.db"), str(tmp_path / "credentials.json")
    cli("local", "init", "--db", db, "--write-credentials", creds)
    common = ["--local", db, "--credentials-file", creds, "--quiet"]
    for step in (["local", "demo-data", "--database", "sales"], ["install-mesh-objects"],
                 ["enable-account", "--account-type", "producer"], ["enable-account", "--account-type", "consumer"]):
        cli(*step, *common)
    cli("create-data-product", *common, "--source-database-name", "sales", "--table-name-regex", "orders|customers",
        "--domain", "Retail", "--data-product-name", "Sales")
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
