#!/usr/bin/env bash
# `make serve`: the web server and the task worker side by side; stopping one (or Ctrl-C) stops both.
# The worker is stopped with SIGTERM to its parent process only: a signal to its whole process group can
# leave django-q2's parent hanging (docs/operators/workers.md).
set -u
host=${1:-127.0.0.1}
port=${2:-8000}
# Links in mails and documents point at the address served here, unless OUENTAI_PUBLIC_BASE_URL says
# otherwise (a server listening on every interface is reached on this machine as 127.0.0.1).
if [ -z "${OUENTAI_PUBLIC_BASE_URL:-}" ]; then
	case "$host" in
	0.0.0.0 | "::" | "[::]") link_host=127.0.0.1 ;;
	*:*) link_host="[$host]" ;;
	*) link_host=$host ;;
	esac
	export OUENTAI_PUBLIC_BASE_URL="http://$link_host:$port"
fi
echo "ouentai: links in mails point at $OUENTAI_PUBLIC_BASE_URL (set OUENTAI_PUBLIC_BASE_URL to change)"
.venv/bin/python manage.py qcluster &
worker=$!
.venv/bin/python manage.py runserver "$host:$port" &
web=$!
stop() {
	trap - EXIT INT TERM
	kill -TERM "$web" 2>/dev/null
	kill -TERM "$worker" 2>/dev/null
	wait
}
trap stop EXIT INT TERM
wait -n "$web" "$worker"
