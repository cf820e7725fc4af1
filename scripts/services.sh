#!/usr/bin/env bash
# Private MariaDB and Redis for chatmall's tests and `npm start`, from Debian's packages.
#
#   scripts/services.sh up [mariadb] [redis] [cluster]    install when missing, start (idempotent)
#   scripts/services.sh down [mariadb] [redis] [cluster]  stop only the instances this script started
#   scripts/services.sh start|stop SERVICE       same as up/down for one service
#   scripts/services.sh status                   one line per service
#   scripts/services.sh env                      DATABASE_URL / REDIS_URL / REDIS_CLUSTER_NODES
#
# Data, sockets, pid files and logs live under .data/services/; ports are private
# (MARIADB_PORT, default 13306; REDIS_PORT, default 16379). A Redis on another port
# (REDIS_PORT=16401 …, a second `npm start` stack) has its own files (redis-16401.*), so it
# runs beside the default one; `down redis` stops the one on REDIS_PORT. `cluster` is a
# three-node Redis Cluster (no replicas) on REDIS_CLUSTER_PORT and the two ports after it
# (default 17001–17003), where the red-envelope grab script is proven to run unchanged.
# A system-wide MariaDB or Redis is never touched.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${CHATMALL_SERVICES_DIR:-$ROOT/.data/services}"
mkdir -p "$DIR"
# A restart (stop, then start) keeps the port the server was first started on.
MARIADB_PORT="${MARIADB_PORT:-$(cat "$DIR/mariadb.port" 2>/dev/null || echo 13306)}"
HOME_REDIS_PORT="$(cat "$DIR/redis.port" 2>/dev/null || echo 16379)"
REDIS_PORT="${REDIS_PORT:-$HOME_REDIS_PORT}"
# The default Redis keeps the names redis.pid, redis/, redis.log; any other port gets its own.
if [ "$REDIS_PORT" = "$HOME_REDIS_PORT" ]; then REDIS_NAME=redis; else REDIS_NAME="redis-$REDIS_PORT"; fi
REDIS_CLUSTER_PORT="${REDIS_CLUSTER_PORT:-17001}"
CLUSTER_PORTS=("$REDIS_CLUSTER_PORT" "$((REDIS_CLUSTER_PORT + 1))" "$((REDIS_CLUSTER_PORT + 2))")
DB_USER=chatmall
DB_PASS=chatmall
DB_NAMES=(chatmall_test chatmall_dev)

mkdir -p "$DIR"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_until() { # seconds, command...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.2
  done
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

refuse_foreign_port() { # name port variable
  if port_busy "$2"; then
    echo "$1: port $2 is already used by another process (not started by this script)." >&2
    echo "$1: choose a free one, e.g. $3=$(( $2 + 1 )) bash scripts/services.sh up" >&2
    exit 1
  fi
}

mariadb_client() { mariadb --no-defaults --socket="$DIR/mariadb.sock" -uroot "$@"; }

mariadb_up() {
  if alive "$DIR/mariadb.pid"; then echo "mariadb: already running on 127.0.0.1:$MARIADB_PORT"; return; fi
  refuse_foreign_port mariadb "$MARIADB_PORT" MARIADB_PORT
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || bash "$ROOT/scripts/ensure-packages.sh" mariadb-server mariadb-client
  local mariadbd; mariadbd="$(command -v mariadbd || echo /usr/sbin/mariadbd)"
  if [ ! -d "$DIR/mariadb/mysql" ]; then
    rm -rf "$DIR/mariadb"
    mariadb-install-db --no-defaults --datadir="$DIR/mariadb" --user="$(id -un)" \
      --auth-root-authentication-method=socket --skip-test-db >"$DIR/mariadb-install.log" 2>&1 \
      || { cat "$DIR/mariadb-install.log" >&2; exit 1; }
  fi
  # setsid: the server outlives this script and ignores the terminal's Ctrl-C.
  setsid "$mariadbd" --no-defaults --datadir="$DIR/mariadb" --socket="$DIR/mariadb.sock" \
    --port="$MARIADB_PORT" --bind-address=127.0.0.1 --pid-file="$DIR/mariadb.pid" \
    --user="$(id -un)" --log-error="$DIR/mariadb.err" --skip-log-bin \
    --max-connections=600 --innodb-buffer-pool-size=128M --character-set-server=utf8mb4 \
    --collation-server=utf8mb4_unicode_ci </dev/null >/dev/null 2>&1 &
  if ! wait_until 60 mariadb_client -e 'SELECT 1'; then
    echo "mariadb: did not start; see $DIR/mariadb.err" >&2; tail -20 "$DIR/mariadb.err" >&2 || true; exit 1
  fi
  local sql=""
  for db in "${DB_NAMES[@]}"; do
    sql+="CREATE DATABASE IF NOT EXISTS \`$db\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  done
  for host in 127.0.0.1 localhost; do
    sql+="CREATE USER IF NOT EXISTS '$DB_USER'@'$host' IDENTIFIED BY '$DB_PASS';"
    sql+="GRANT ALL PRIVILEGES ON \`chatmall\\_%\`.* TO '$DB_USER'@'$host';"
  done
  mariadb_client -e "$sql"
  echo "$MARIADB_PORT" > "$DIR/mariadb.port"
  echo "mariadb: running on 127.0.0.1:$MARIADB_PORT (data $DIR/mariadb)"
}

redis_up() {
  local n="$REDIS_NAME"
  if alive "$DIR/$n.pid"; then echo "redis: already running on 127.0.0.1:$REDIS_PORT"; return; fi
  refuse_foreign_port redis "$REDIS_PORT" REDIS_PORT
  command -v redis-server >/dev/null || bash "$ROOT/scripts/ensure-packages.sh" redis-server
  mkdir -p "$DIR/$n"
  # 64 databases: each tagged test run (CHATMALL_TEST_TAG) gets databases of its own.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$DIR/$n" --pidfile "$DIR/$n.pid" \
    --databases 64 --daemonize yes --logfile "$DIR/$n.log" --appendonly yes --save "" >/dev/null
  if ! wait_until 20 redis-cli -p "$REDIS_PORT" ping; then
    echo "redis: did not start; see $DIR/$n.log" >&2; exit 1
  fi
  # Only the default instance records its port (a restart keeps it); extra ones are named by theirs.
  if [ "$n" = redis ]; then echo "$REDIS_PORT" > "$DIR/redis.port"; fi
  echo "redis: running on 127.0.0.1:$REDIS_PORT (data $DIR/$n)"
}

cluster_ok() { redis-cli -p "${CLUSTER_PORTS[0]}" cluster info 2>/dev/null | grep -q 'cluster_state:ok'; }

cluster_up() {
  command -v redis-server >/dev/null || bash "$ROOT/scripts/ensure-packages.sh" redis-server
  local p started=0
  for p in "${CLUSTER_PORTS[@]}"; do
    if alive "$DIR/cluster-$p.pid"; then continue; fi
    refuse_foreign_port "redis cluster node" "$p" REDIS_CLUSTER_PORT
    mkdir -p "$DIR/cluster/$p"
    # Node ids and slots live in nodes.conf: a restarted node rejoins its cluster by itself.
    redis-server --port "$p" --bind 127.0.0.1 --dir "$DIR/cluster/$p" --pidfile "$DIR/cluster-$p.pid" \
      --daemonize yes --logfile "$DIR/cluster-$p.log" --cluster-enabled yes \
      --cluster-config-file nodes.conf --cluster-node-timeout 3000 --appendonly yes --save "" >/dev/null
    started=1
  done
  for p in "${CLUSTER_PORTS[@]}"; do
    if ! wait_until 20 redis-cli -p "$p" ping; then
      echo "redis cluster: node $p did not start; see $DIR/cluster-$p.log" >&2; exit 1
    fi
  done
  # A fresh set of nodes (no slots anywhere) is joined into one cluster covering all slots.
  if ! wait_until $((started ? 10 : 2)) cluster_ok; then
    if [ "$(redis-cli -p "${CLUSTER_PORTS[0]}" cluster info | tr -d '\r' | sed -n 's/^cluster_slots_assigned://p')" = 0 ]; then
      local nodes=()
      for p in "${CLUSTER_PORTS[@]}"; do nodes+=("127.0.0.1:$p"); done
      redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$DIR/cluster-create.log" 2>&1 \
        || { cat "$DIR/cluster-create.log" >&2; exit 1; }
    fi
    if ! wait_until 30 cluster_ok; then
      echo "redis cluster: not ok; see $DIR/cluster-*.log" >&2
      redis-cli -p "${CLUSTER_PORTS[0]}" cluster info >&2 || true; exit 1
    fi
  fi
  echo "redis cluster: running on 127.0.0.1:${CLUSTER_PORTS[0]}-${CLUSTER_PORTS[2]} (data $DIR/cluster)"
}

cluster_down() {
  local p
  for p in "${CLUSTER_PORTS[@]}"; do stop_pidfile "redis cluster node $p" "$DIR/cluster-$p.pid"; done
}

stop_pidfile() { # name pidfile
  if alive "$2"; then
    local pid; pid="$(cat "$2")"
    kill "$pid" 2>/dev/null || true
    wait_until 30 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
    echo "$1: stopped"
  else
    echo "$1: not running"
  fi
  rm -f "$2"
}

pidfile() { if [ "$1" = redis ]; then echo "$DIR/$REDIS_NAME.pid"; else echo "$DIR/$1.pid"; fi; }

services=("${@:2}")
[ ${#services[@]} -eq 0 ] && services=(mariadb redis)

case "${1:-}" in
  up|start)
    for s in "${services[@]}"; do "${s}_up"; done ;;
  down|stop)
    for s in "${services[@]}"; do
      if [ "$s" = cluster ]; then cluster_down; else stop_pidfile "$s" "$(pidfile "$s")"; fi
    done ;;
  status)
    for s in mariadb redis; do
      if alive "$(pidfile "$s")"; then echo "$s: running (pid $(cat "$(pidfile "$s")"))"; else echo "$s: stopped"; fi
    done
    if alive "$DIR/cluster-${CLUSTER_PORTS[0]}.pid" && cluster_ok; then echo "cluster: running"; else echo "cluster: stopped"; fi ;;
  env)
    echo "DATABASE_URL=mariadb://$DB_USER:$DB_PASS@127.0.0.1:$MARIADB_PORT/chatmall_test"
    echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT/1"
    echo "REDIS_CLUSTER_NODES=127.0.0.1:${CLUSTER_PORTS[0]},127.0.0.1:${CLUSTER_PORTS[1]},127.0.0.1:${CLUSTER_PORTS[2]}" ;;
  *)
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
