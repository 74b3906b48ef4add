# shellcheck shell=bash
# Starts a throw-away PostgreSQL cluster for the tests, listening on
# 127.0.0.1 only, in a temporary directory, as an unprivileged user.
#
#   source .ci/postgres.sh     # exports NEWSDESK_TEST_POSTGRES (a DSN)
#   ...tests...
#   newsdesk_pg_stop           # or leave it: an EXIT trap stops it
#
# Needs the Debian package postgresql-15 (server binaries in
# /usr/lib/postgresql/15/bin). As root the cluster runs as the "postgres"
# user (PGUSER_OS to change); otherwise as the calling user.
# Environment: PGBIN (server binaries), PGPORT_TEST (port, default: a free one).

newsdesk_pg_start() {
	local bin="${PGBIN:-}"
	if [ -z "$bin" ]; then
		for d in /usr/lib/postgresql/*/bin; do
			[ -x "$d/initdb" ] && bin="$d"
		done
	fi
	if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
		echo "postgres.sh: no PostgreSQL server binaries found (install postgresql-15)" >&2
		return 1
	fi
	local as=()
	if [ "$(id -u)" = 0 ]; then
		local u="${PGUSER_OS:-postgres}"
		if ! id "$u" >/dev/null 2>&1; then
			echo "postgres.sh: running as root and user $u does not exist" >&2
			return 1
		fi
		as=(runuser -u "$u" --)
	fi
	NEWSDESK_PG_DIR="$(mktemp -d /tmp/newsdesk-pg.XXXXXX)" || return 1
	chmod 755 "$NEWSDESK_PG_DIR"
	[ ${#as[@]} -gt 0 ] && chown "${PGUSER_OS:-postgres}" "$NEWSDESK_PG_DIR"
	local port="${PGPORT_TEST:-}"
	if [ -z "$port" ]; then
		port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)
	fi
	"${as[@]}" "$bin/initdb" -D "$NEWSDESK_PG_DIR/data" -U newsdesk --auth=trust -E UTF8 --locale=C.UTF-8 >"$NEWSDESK_PG_DIR/initdb.log" 2>&1 ||
		"${as[@]}" "$bin/initdb" -D "$NEWSDESK_PG_DIR/data" -U newsdesk --auth=trust -E UTF8 --locale=C >"$NEWSDESK_PG_DIR/initdb.log" 2>&1 || {
		cat "$NEWSDESK_PG_DIR/initdb.log" >&2
		return 1
	}
	# Tuned for throw-away test data: no durability, small footprint.
	"${as[@]}" "$bin/pg_ctl" -D "$NEWSDESK_PG_DIR/data" -l "$NEWSDESK_PG_DIR/server.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $NEWSDESK_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=128MB" start >/dev/null || {
		cat "$NEWSDESK_PG_DIR/server.log" >&2
		return 1
	}
	"${as[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U newsdesk -d postgres -qc "CREATE DATABASE newsdesk_test" >/dev/null || return 1
	NEWSDESK_PG_BIN="$bin"
	NEWSDESK_PG_AS="${as[*]}"
	export NEWSDESK_TEST_POSTGRES="postgres://newsdesk@127.0.0.1:$port/newsdesk_test?sslmode=disable"
	export NEWSDESK_PG_DIR NEWSDESK_PG_BIN NEWSDESK_PG_AS
	echo "postgres.sh: PostgreSQL running in $NEWSDESK_PG_DIR; NEWSDESK_TEST_POSTGRES=$NEWSDESK_TEST_POSTGRES" >&2
}

newsdesk_pg_stop() {
	[ -n "${NEWSDESK_PG_DIR:-}" ] && [ -d "$NEWSDESK_PG_DIR/data" ] || return 0
	# shellcheck disable=SC2086
	$NEWSDESK_PG_AS "$NEWSDESK_PG_BIN/pg_ctl" -D "$NEWSDESK_PG_DIR/data" -m immediate stop >/dev/null 2>&1
	rm -rf "$NEWSDESK_PG_DIR"
	unset NEWSDESK_PG_DIR NEWSDESK_TEST_POSTGRES
}

if newsdesk_pg_start; then
	# Stop the server when the sourcing shell exits, unless the caller has
	# an EXIT trap of its own (then it calls newsdesk_pg_stop itself) or
	# asked to keep the server (NEWSDESK_PG_KEEP=1, for local work).
	if [ -z "$(trap -p EXIT)" ] && [ -z "${NEWSDESK_PG_KEEP:-}" ]; then
		trap newsdesk_pg_stop EXIT
	fi
else
	echo "postgres.sh: PostgreSQL not started; PostgreSQL tests will skip" >&2
fi
