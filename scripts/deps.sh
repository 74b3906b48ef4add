# shellcheck shell=bash
# Installing what newsdesk's tests need from the system, for `make test`. Both use apt-get as root, else sudo when it needs no
# password; otherwise they print the command to run.

# Packages beyond the programs checked below: word lists for translation
# and the audit.
NEWSDESK_EXTRA_PACKAGES=(wamerican wamerican-large wbritish wbritish-large wspanish)

# newsdesk_apt_install installs the Debian packages named, if any.
newsdesk_apt_install() {
	[ $# -gt 0 ] || return 0
	local sudo=()
	if [ "$(id -u)" != 0 ]; then
		if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
			sudo=(sudo -n)
		else
			echo "deps: missing Debian packages; install them with:" >&2
			echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $*" >&2
			return 1
		fi
	fi
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "deps: no apt-get here; install by hand: $*" >&2
		return 1
	fi
	echo "deps: installing $*" >&2
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
		{ echo "deps: apt-get failed" >&2; return 1; }
}

# newsdesk_test_deps installs what the test suites need and this machine
# lacks: Apertium (offline translation), chromium (page tests),
# postgresql-15 (the many-machine store), word lists, a font for page
# text, and axe-core from npm (accessibility checks). It exports
# NEWSDESK_AXE_JS.
newsdesk_test_deps() {
	local pkgs=() rc=0
	[ -f /usr/share/apertium/modes/spa-eng.mode ] && command -v lt-proc >/dev/null 2>&1 || pkgs+=(apertium apertium-eng-spa)
	command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
	compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || pkgs+=(postgresql-15)
	[ -d /usr/share/fonts/truetype/dejavu ] || pkgs+=(fonts-dejavu-core)
	for p in "${NEWSDESK_EXTRA_PACKAGES[@]}"; do
		dpkg -s "$p" >/dev/null 2>&1 || pkgs+=("$p")
	done
	newsdesk_apt_install "${pkgs[@]}" || rc=1
	AXE_DIR="${AXE_DIR:-/tmp/newsdesk-axe}"
	if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ] && command -v npm >/dev/null 2>&1; then
		npm install --silent --no-audit --no-fund --prefix "$AXE_DIR" axe-core >/dev/null 2>&1 ||
			echo "deps: npm install axe-core failed" >&2
	fi
	if [ -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]; then
		export NEWSDESK_AXE_JS="$AXE_DIR/node_modules/axe-core/axe.min.js"
	fi
	return $rc
}
