#!/usr/bin/env bash
# sakip's scheduled runs on one machine: a Prefect server on 127.0.0.1, the `sakip` process work pool, the
# deployments of prefect.yaml (monthly on the 6th at 06:00 WIB, quarterly), the failure and zombie automations,
# a worker, and the watch (the dead man's switch: an alert when a month is not published by its deadline).
#
#   SAKIP_INBOX=/srv/sakip/inbox SAKIP_WAREHOUSE=/srv/sakip/warehouse deploy/sakip-local.sh start
#   deploy/sakip-local.sh status
#   deploy/sakip-local.sh stop
#
# Optional: SAKIP_ALERT_WEBHOOK_URL (webhook for in-flow alerts, the failure automation and the watch; saved on
# the server as secrets, never in a plain field), SAKIP_ALERT_BLOCK (a saved notification block for the
# automation instead; also used by the flows and the watch), SAKIP_ZOMBIE_AFTER_SECONDS (a run without
# heartbeat for so long is crashed; default 900; longer than any outage of the server), SAKIP_WATCH_EVERY
# (seconds between the watch's checks; default 900), SAKIP_REFERENCE_DIR (the installation's reference folder,
# `sakip init DIR`), SAKIP_STATE_DIR (PIDs, logs, Prefect's database, the API's
# password; default .sakip-local/), SAKIP_PREFECT_PORT (default 4200). The UI is at http://127.0.0.1:4200; it
# asks for the password in .sakip-local/api-auth (the API answers nobody without it).
set -euo pipefail
# What this script and the server create (Prefect's database: the secret blocks, encrypted, with their key;
# the API's password) is readable by this user only; the worker and the watch, which write what planners and
# analysts read, keep the caller's umask.
CALLER_UMASK=$(umask)
umask 077

CODE_DIR=$(cd "$(dirname "$0")/.." && pwd)
STATE=${SAKIP_STATE_DIR:-$CODE_DIR/.sakip-local}
PORT=${SAKIP_PREFECT_PORT:-4200}
export PREFECT_HOME=${PREFECT_HOME:-$STATE/prefect}
export PREFECT_API_URL=http://127.0.0.1:$PORT/api
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export DO_NOT_TRACK=1  # no client telemetry from the worker's flow runs either
export SAKIP_CODE_DIR=$CODE_DIR
export PATH=$CODE_DIR/.venv/bin:$PATH
# the flows resolve paths from the code folder, the watch from here: both get the same absolute ones
[ -z "${SAKIP_INBOX:-}" ] || SAKIP_INBOX=$(realpath -m "$SAKIP_INBOX")
[ -z "${SAKIP_WAREHOUSE:-}" ] || SAKIP_WAREHOUSE=$(realpath -m "$SAKIP_WAREHOUSE")
# the installation's reference folder (`sakip init DIR`), for the worker's runs and the watch
[ -z "${SAKIP_REFERENCE_DIR:-}" ] || export SAKIP_REFERENCE_DIR=$(realpath -m "$SAKIP_REFERENCE_DIR")
# the flows and the watch alert on the automation's block too
export SAKIP_ALERT_BLOCKS=${SAKIP_ALERT_BLOCKS:-${SAKIP_ALERT_BLOCK:-}}

# Basic authentication of the API, a password made once: without it any local user could read the secret
# blocks through the API (include_secrets) or change the deployments.
api_auth() {
  mkdir -p "$STATE"
  [ -s "$STATE/api-auth" ] || python3 -c 'import secrets; print("sakip:" + secrets.token_urlsafe(24))' >"$STATE/api-auth"
  PREFECT_SERVER_API_AUTH_STRING=$(cat "$STATE/api-auth")
  export PREFECT_SERVER_API_AUTH_STRING PREFECT_API_AUTH_STRING=$PREFECT_SERVER_API_AUTH_STRING
}

alive() { [ -f "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }

wait_healthy() {
  python - "$PREFECT_API_URL" <<'PY'
import sys, time, httpx
url = sys.argv[1] + "/health"
deadline = time.monotonic() + 180
while time.monotonic() < deadline:
    try:
        if httpx.get(url, timeout=2).status_code == 200:
            sys.exit(0)
    except httpx.HTTPError:
        pass
    time.sleep(0.5)
sys.exit("the Prefect server did not answer within 180 s")
PY
}

# Stop a process group started with setsid: SIGTERM, and a second SIGTERM for an idle worker, which ignores the
# first; SIGKILL only if both were ignored.
stop_one() {
  local name=$1 pid
  alive "$name" || { rm -f "$STATE/$name.pid"; return 0; }
  pid=$(cat "$STATE/$name.pid")
  for signal in TERM TERM KILL; do
    kill -"$signal" -- "-$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break 2; sleep 0.2; done
  done
  rm -f "$STATE/$name.pid"
  echo "stopped $name ($pid)"
}

start() {
  : "${SAKIP_INBOX:?set SAKIP_INBOX to the inbox folder}" "${SAKIP_WAREHOUSE:?set SAKIP_WAREHOUSE to the warehouse folder}"
  [ -x "$CODE_DIR/.venv/bin/prefect" ] || make -C "$CODE_DIR" install
  # storage/: the results the worker's runs keep, written with the caller's umask inside a folder of this user's
  mkdir -p "$STATE" "$PREFECT_HOME" "$PREFECT_HOME/storage"
  chmod -R go-rwx "$STATE" "$PREFECT_HOME"  # files an earlier start created with a looser umask
  api_auth
  touch "$STATE/server.log" "$STATE/worker.log" "$STATE/watch.log"  # created here: this user's only
  if ! alive server; then
    setsid prefect server start --host 127.0.0.1 --port "$PORT" >"$STATE/server.log" 2>&1 &
    echo $! >"$STATE/server.pid"
  fi
  wait_healthy
  prefect work-pool create sakip --type process --overwrite >/dev/null
  prefect variable set sakip_inbox "$SAKIP_INBOX" --overwrite >/dev/null
  prefect variable set sakip_warehouse "$SAKIP_WAREHOUSE" --overwrite >/dev/null
  (cd "$CODE_DIR" && prefect --no-prompt deploy --all >"$STATE/deploy.log" 2>&1) \
    || { cat "$STATE/deploy.log" >&2; exit 1; }
  python -m sakip.deploy automations ${SAKIP_ALERT_BLOCK:+--block "$SAKIP_ALERT_BLOCK"}
  if ! alive worker; then
    # the flow runs read the webhook from the server's Secret block, not from their environment; a worker
    # already running keeps the environment it started with (stop, then start, to change it)
    if [ -n "${SAKIP_ALERT_WEBHOOK_URL:-}" ]; then
      (umask "$CALLER_UMASK"; exec env -u SAKIP_ALERT_WEBHOOK_URL SAKIP_ALERT_WEBHOOK_SECRET=sakip-alert-webhook-url \
        setsid prefect worker start --pool sakip >"$STATE/worker.log" 2>&1) &
    else
      (umask "$CALLER_UMASK"; exec setsid prefect worker start --pool sakip >"$STATE/worker.log" 2>&1) &
    fi
    echo $! >"$STATE/worker.pid"
  fi
  if ! alive watch; then
    # its own process, needing neither the server nor the worker: it must speak when they are gone
    (umask "$CALLER_UMASK"; exec setsid sakip watch --warehouse "$SAKIP_WAREHOUSE" --every "${SAKIP_WATCH_EVERY:-900}" \
      >>"$STATE/watch.log" 2>&1) &
    echo $! >"$STATE/watch.pid"
  fi
  echo "sakip: server $PREFECT_API_URL (pid $(cat "$STATE/server.pid")), worker pid $(cat "$STATE/worker.pid")," \
       "watch pid $(cat "$STATE/watch.pid")"
}

status() {
  local code=0
  for name in server worker watch; do
    if alive "$name"; then echo "$name: running ($(cat "$STATE/$name.pid"))"; else echo "$name: stopped"; code=3; fi
  done
  if alive server; then
    api_auth
    python -m sakip.deploy status || code=3
  else
    echo "automations, channels, deployments: unknown (the server is not running)"
  fi
  [ -f "$STATE/watch.log" ] && echo "watch, last check: $(grep -v '^ ' "$STATE/watch.log" | tail -n 1)"
  return $code
}

case "${1:-}" in
  start) start ;;
  stop) stop_one watch; stop_one worker; stop_one server ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
