#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine (as root), then runs
# every test. This is the README's test command; .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  gcc g++ make
  gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib
  qemu-system-arm
  python3-numpy python3-scipy python3-h5py
  flatbuffers-compiler
  fonts-dejavu-core
)
missing=()
for p in "${DEBIAN_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund   # also builds dist/ (the prepare script)
npm run build                 # a no-op after npm ci; fails here, with tsc's errors, if the build is broken
npx tsc -p tsconfig.json --noEmit
npm run lint                  # ESLint (type-aware, with the floors rule) and Prettier
npx knip --no-progress        # no dead exports, files or dependencies
npx vitest run --coverage     # every test; prints the coverage summary
