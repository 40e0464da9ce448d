#!/usr/bin/env bash
# sakip's scheduled runs on one machine: a Prefect server on 127.0.0.1, the `sakip` process work pool, the
# deployments of prefect.yaml (monthly on the 6th at 06:00 WIB, quarterly), the failure automation, a worker.
#
#   SAKIP_INBOX=/srv/sakip/inbox SAKIP_WAREHOUSE=/srv/sakip/warehouse deploy/sakip-local.sh start
#   deploy/sakip-local.sh status
#   deploy/sakip-local.sh stop
#
# Optional: SAKIP_ALERT_WEBHOOK_URL (webhook for in-flow alerts and the failure automation), SAKIP_ALERT_BLOCK
# (a saved notification block for the automation instead), SAKIP_STATE_DIR (PIDs, logs, Prefect's database;
# default .sakip-local/), SAKIP_PREFECT_PORT (default 4200). The UI is at http://127.0.0.1:4200.
set -euo pipefail

CODE_DIR=$(cd "$(dirname "$0")/.." && pwd)
STATE=${SAKIP_STATE_DIR:-$CODE_DIR/.sakip-local}
PORT=${SAKIP_PREFECT_PORT:-4200}
export PREFECT_HOME=${PREFECT_HOME:-$STATE/prefect}
export PREFECT_API_URL=http://127.0.0.1:$PORT/api
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export DO_NOT_TRACK=1  # no client telemetry from the worker's flow runs either
export SAKIP_CODE_DIR=$CODE_DIR
export PATH=$CODE_DIR/.venv/bin:$PATH

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
  mkdir -p "$STATE" "$PREFECT_HOME"
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
  if [ -n "${SAKIP_ALERT_BLOCK:-}" ]; then
    python -m sakip.deploy automation --block "$SAKIP_ALERT_BLOCK"
  elif [ -n "${SAKIP_ALERT_WEBHOOK_URL:-}" ]; then
    python -m sakip.deploy automation
  else
    echo "sakip: WARNING: no failure automation created: a run that fails or crashes will alert nobody." \
         "Set SAKIP_ALERT_WEBHOOK_URL or SAKIP_ALERT_BLOCK and run start again." >&2
  fi
  if ! alive worker; then
    setsid prefect worker start --pool sakip >"$STATE/worker.log" 2>&1 &
    echo $! >"$STATE/worker.pid"
  fi
  echo "sakip: server $PREFECT_API_URL (pid $(cat "$STATE/server.pid")), worker pid $(cat "$STATE/worker.pid")"
}

status() {
  for name in server worker; do
    if alive "$name"; then echo "$name: running ($(cat "$STATE/$name.pid"))"; else echo "$name: stopped"; fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop_one worker; stop_one server ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
