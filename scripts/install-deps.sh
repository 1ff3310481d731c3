#!/bin/sh
# Installs the Debian packages Cairn needs to build, test and benchmark, and to build and check
# the agent's .deb and .rpm (dpkg-dev: dpkg-shlibdeps; rpm: rpmbuild; systemd: systemd-analyze,
# which works without systemd running, e.g. in a container; python3-aiosmtpd: the SMTP server
# the mail tests talk to).
# Only packages that are missing are installed; safe to run repeatedly.
set -eu
PKGS="build-essential cmake ninja-build ccache pkg-config git
 qt6-base-dev qt6-base-dev-tools qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
 qt6-httpserver-dev qt6-websockets-dev libqt6sql6-sqlite libqt6svg6
 libssl-dev libzstd-dev libargon2-dev libsqlite3-dev libcurl4-openssl-dev
 python3 python3-aiosmtpd attr acl e2fsprogs time bc openssl
 restic borgbackup
 dpkg-dev rpm systemd file"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  echo "cairn: installing:$missing" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
