#!/usr/bin/env bash
# `make serve`: the web server and the task worker side by side; stopping one (or Ctrl-C) stops both.
# The worker is stopped with SIGTERM to its parent process only: a signal to its whole process group can
# leave django-q2's parent hanging (docs/operators/workers.md).
set -u
host=${1:-127.0.0.1}
port=${2:-8000}
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
