# Shared by scripts/test and scripts/demo: install what is missing, then configure and build.
# Sourced, not run. Honours RS_BUILD_DIR (default: build) and RS_BUILD_TYPE (default: RelWithDebInfo).

RS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RS_BUILD_DIR="${RS_BUILD_DIR:-$RS_ROOT/build}"
RS_BUILD_TYPE="${RS_BUILD_TYPE:-RelWithDebInfo}"

# Debian 12 packages the build, the tests and the demo use (see README "Dependencies").
RS_PACKAGES=(
  cmake ninja-build g++ pkg-config ccache
  qt6-base-dev qt6-svg-dev qt6-tools-dev libqt6sql6-sqlite libqt6sql6-psql
  libopencv-dev libtorch-dev python3-torch python3-numpy python3-opencv
  libqcustomplot-dev libqcustomplot2.1-qt6
  libbenchmark-dev libsqlite3-dev postgresql
  xvfb xauth fonts-dejavu-core dpkg-dev
)

rs_log() { printf '[reasonseg] %s\n' "$*" >&2; }

rs_install_missing() {
  local missing=()
  local pkg
  for pkg in "${RS_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo=(sudo); else
      rs_log "missing packages and not root (no sudo): ${missing[*]}"; return 1
    fi
  fi
  rs_log "installing ${#missing[@]} missing Debian package(s): ${missing[*]}"
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
}

rs_build() {
  local jobs
  jobs="$(nproc 2>/dev/null || echo 2)"
  if [ ! -f "$RS_BUILD_DIR/build.ninja" ]; then
    rs_log "configuring $RS_BUILD_DIR ($RS_BUILD_TYPE)"
    cmake -S "$RS_ROOT" -B "$RS_BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$RS_BUILD_TYPE"
  fi
  rs_log "building with $jobs job(s)"
  cmake --build "$RS_BUILD_DIR" -j "$jobs"
  if command -v ccache >/dev/null; then
    ccache --show-stats 2>/dev/null | grep -E '^(Hits|Misses|Cacheable calls)' | sed 's/^/[reasonseg] ccache /' >&2 || true
  fi
}
