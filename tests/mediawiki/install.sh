#!/usr/bin/env bash
# Make MediaWiki itself available as the tests' oracle: Debian's mediawiki
# package (1.39 on Debian 12) with php-cli and php-sqlite3.  Exit 0 when it is
# there (already, or installed now); otherwise say why and exit 1, and the
# MediaWiki suite skips with that reason.
set -uo pipefail
MEDIAWIKI=${WIKIPLAIN_MEDIAWIKI:-/usr/share/mediawiki}
PACKAGES=(mediawiki php-cli php-sqlite3)

available() {
    command -v php >/dev/null && [ -f "$MEDIAWIKI/maintenance/install.php" ] && php -m 2>/dev/null | grep -qx pdo_sqlite
}

if available; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "MediaWiki oracle: not installed and no apt-get here (needs Debian's ${PACKAGES[*]})" >&2
    exit 1
fi
if [ "$(id -u)" = 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "MediaWiki oracle: installing ${PACKAGES[*]} needs root (run: sudo apt-get install ${PACKAGES[*]})" >&2
    exit 1
fi
echo "MediaWiki oracle: installing ${PACKAGES[*]} with apt-get ..." >&2
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get update -qq >/dev/null \
    || ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null; then
    echo "MediaWiki oracle: apt-get could not install ${PACKAGES[*]}" >&2
    exit 1
fi
if ! available; then
    echo "MediaWiki oracle: installed, but $MEDIAWIKI or PHP's SQLite driver is still missing" >&2
    exit 1
fi
