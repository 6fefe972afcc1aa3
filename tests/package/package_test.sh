#!/usr/bin/env bash
# CTest "package_deb" (label package): builds the Debian package from this build folder, unpacks it
# into a scratch root (the machine is left as it was), checks its metadata and runs the installed
# programs from there: `reasonseg demo` with the bundled model found under share/, and
# `reasonseg-studio --version`. Skipped (exit 77) when dpkg-deb or cpack is missing.
set -euo pipefail
build="$1"
version="$2"
command -v dpkg-deb >/dev/null && command -v cpack >/dev/null || { echo "dpkg-deb/cpack missing: skipped"; exit 77; }
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

(cd "$scratch" && cpack --config "$build/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log" 2>&1) \
  || { cat "$scratch/cpack.log"; exit 1; }
deb="$(ls "$scratch"/out/*.deb)"
echo "package: $(basename "$deb") ($(du -h "$deb" | cut -f1))"

fail() { echo "FAIL: $*"; exit 1; }
info="$(dpkg-deb --info "$deb")"
grep -q "Package: reasonseg-studio" <<<"$info" || fail "package name"
grep -q "Version: $version" <<<"$info" || fail "version $version"
depends="$(grep '^ Depends:' <<<"$info" || true)"
for lib in libqt6widgets6 libtorch libopencv libqcustomplot libqt6sql6-sqlite qt6-qpa-plugins; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
contents="$(dpkg-deb --contents "$deb")"
for path in ./usr/bin/reasonseg ./usr/bin/reasonseg-studio ./usr/share/reasonseg/models/shapes/model.json \
            ./usr/share/reasonseg/models/shapes/heldout/difficulty.json ./usr/share/applications/reasonseg-studio.desktop \
            ./usr/share/icons/hicolor/scalable/apps/reasonseg-studio.svg; do
  grep -q " $path\$" <<<"$contents" || fail "missing $path"
done

root="$scratch/root"
dpkg-deb -x "$deb" "$root"
out="$("$root/usr/bin/reasonseg-studio" --version)"
[[ "$out" == *"$version"* ]] || fail "reasonseg-studio --version printed: $out"
"$root/usr/bin/reasonseg" demo "$scratch/demo" --scenes 4 >"$scratch/demo.log" 2>&1 || { cat "$scratch/demo.log"; fail "reasonseg demo"; }
grep -q "$root/usr/share/reasonseg/models/shapes" "$scratch/demo.log" || { cat "$scratch/demo.log"; fail "demo did not use the installed model"; }
[[ -s "$scratch/demo/demo.rsdb" ]] || fail "no demo.rsdb"
"$root/usr/bin/reasonseg" stats "$scratch/demo/demo.rsdb" | grep -q "samples" || fail "stats on the demo project"
echo "installed programs ran from $root"
