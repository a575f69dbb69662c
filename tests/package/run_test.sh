#!/usr/bin/env bash
# Installs the built datamesh into a fresh prefix, then builds a project outside datamesh against
# it twice (CMake's find_package, and pkg-config) and runs what it built: the workflows alone
# against a `datamesh local serve` started here, and with the embedded local mesh. A program using
# only the mesh API must link neither SQLite nor httplib.
# Usage: run_test.sh BUILD_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi

cmake --install "$build" --prefix "$work/prefix" >/dev/null
prefix="$work/prefix"
cli="$prefix/bin/datamesh"
test -x "$cli"

# 1. CMake: find_package(datamesh) and the exported targets.
cmake -S "$here" -B "$work/adopter" "${generator[@]}" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/adopter" >/dev/null

# 2. pkg-config.
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/$(gcc -print-multiarch 2>/dev/null)/pkgconfig:${PKG_CONFIG_PATH:-}"
pkg-config --exists datamesh datamesh-local
# shellcheck disable=SC2046
g++ -std=c++20 -O0 "$here/install_mesh.cc" -o "$work/pc_mesh_only" $(pkg-config --cflags --libs datamesh)

# Neither SQLite nor httplib in a program that uses only the mesh API; both with the local mesh.
# (nm's output is read whole: grep -q would stop early and fail the pipe under pipefail.)
for program in "$work/adopter/mesh_only" "$work/pc_mesh_only"; do
  symbols="$(nm -C "$program")"
  if grep -E -q ' (sqlite3_|httplib::)' <<<"$symbols"; then
    echo "FAIL: $program links SQLite or httplib" >&2
    exit 1
  fi
done
symbols="$(nm -C "$work/adopter/with_local")"
grep -q ' sqlite3_open' <<<"$symbols" || { echo "FAIL: with_local lacks the local mesh" >&2; exit 1; }

# They run: through a local serve endpoint, and on the embedded mesh.
"$cli" local init --db "$work/served.db" --write-credentials "$work/served.json" >/dev/null
"$cli" local init --db "$work/embedded.db" --write-credentials "$work/embedded.json" >/dev/null
"$cli" local serve --db "$work/served.db" --port 0 >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 100); do grep -q "listening on" "$work/serve.out" && break; sleep 0.1; done
url="$(sed -n 's/.*listening on \([^ ]*\).*/\1/p' "$work/serve.out" | head -1)"
test -n "$url"
for program in "$work/adopter/mesh_only" "$work/pc_mesh_only"; do
  out="$(env -u AWS_PROFILE "$program" "$work/served.json" "$url")"
  [[ "$out" == arn:aws:iam::*:role/AwsDataMesh/DataMeshManager ]] || { echo "FAIL: $program said: $out" >&2; exit 1; }
done
out="$(env -u AWS_PROFILE "$work/adopter/with_local" "$work/embedded.json" "$work/embedded.db")"
[[ "$out" == arn:aws:iam::*:role/AwsDataMesh/DataMeshManager ]] || { echo "FAIL: with_local said: $out" >&2; exit 1; }
echo "package: find_package and pkg-config builds run; the mesh-only programs link neither SQLite nor httplib"
