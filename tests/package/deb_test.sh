#!/usr/bin/env bash
# Packs the build into a .deb with CPack (as scripts/package does from its Release build), checks
# its control data (name, version, the Debian packages it depends on) and its files, then builds
# and runs the outside project against the unpacked package.
# Usage: deb_test.sh BUILD_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$build" && cpack -G DEB -B "$work/out" >/dev/null)
deb="$(ls "$work"/out/datamesh_*.deb)"
control="$(dpkg-deb -f "$deb")"
grep -q '^Package: datamesh$' <<<"$control"
depends="$(dpkg-deb -f "$deb" Depends)"
for needed in libcurl4 libsqlite3-0 libre2-9 libspdlog1.10 libpugixml1v5 libssl3 nlohmann-json3-dev libsqlite3-dev; do
  grep -q "$needed" <<<"$depends" || { echo "FAIL: Depends lacks $needed: $depends" >&2; exit 1; }
done
files="$(dpkg-deb -c "$deb")"
for f in ./usr/bin/datamesh ./usr/include/datamesh/producer.h ./usr/include/datamesh/local_mesh.h \
         /libdatamesh.a /libdatamesh-aws.a /libdatamesh-local.a /cmake/datamesh/datamesh-config.cmake \
         /pkgconfig/datamesh.pc ./usr/share/man/man1/datamesh.1 ./usr/share/man/man1/datamesh-list-data-products.1 \
         ./usr/share/bash-completion/completions/datamesh ./usr/share/zsh/vendor-completions/_datamesh \
         ./usr/share/fish/vendor_completions.d/datamesh.fish; do
  grep -q -- "$f" <<<"$files" || { echo "FAIL: the package lacks $f" >&2; exit 1; }
done
dpkg-deb -x "$deb" "$work/root"
"$work/root/usr/bin/datamesh" --version
generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
cmake -S "$here" -B "$work/adopter" "${generator[@]}" -DCMAKE_PREFIX_PATH="$work/root/usr" >/dev/null
cmake --build "$work/adopter" >/dev/null
"$work/root/usr/bin/datamesh" local init --db "$work/mesh.db" --write-credentials "$work/creds.json" >/dev/null
out="$(env -u AWS_PROFILE "$work/adopter/with_local" "$work/creds.json" "$work/mesh.db")"
[[ "$out" == arn:aws:iam::*:role/AwsDataMesh/DataMeshManager ]] || { echo "FAIL: with_local said: $out" >&2; exit 1; }
echo "deb: $(basename "$deb") depends on: $depends"
