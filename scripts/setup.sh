#!/usr/bin/env bash
# Installs everything ovn-northd-ts needs on a Debian machine with Node >= 20:
# OVN/OVS and the e2e tools from Debian when missing, npm packages, and the build.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
for bin in ovsdb-server ovn-northd ovn-controller ovs-vswitchd ovn-nbctl ping arping ethtool dhclient ip; do
  command -v "$bin" >/dev/null 2>&1 || need_apt+=("$bin")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: missing ${need_apt[*]}; installing OVN/OVS from Debian" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    ovn-central ovn-host openvswitch-switch iputils-ping iputils-arping ethtool isc-dhcp-client iproute2 >/dev/null
fi

# `npm install` with the committed lockfile rather than `npm ci`: the registry here serves
# only the linux builds of rollup's optional platform packages, so the lockfile lacks the
# others and `npm ci` refuses it; `npm install` installs exactly the locked versions.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm install --no-audit --no-fund
fi
npm run --silent build
