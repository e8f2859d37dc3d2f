#!/usr/bin/env bash
# Build, start, wait for and stop the real Neo4j 5.26 used by the tests, CI and
# the benchmark: tools/neo4j-launcher (Neo4j's embedded DBMS with its Bolt
# connector), downloaded from Maven Central by mvn. Needs Java 17+ and Maven.
#
#   bash .ci/neo4j.sh build    # mvn package: target/neo4j-launcher.jar + target/lib/
#   bash .ci/neo4j.sh start    # in the background; pid and log under .neo4j/
#   bash .ci/neo4j.sh wait     # until Bolt answers (NEO4J_WAIT_S, default 120 s)
#   bash .ci/neo4j.sh stop     # SIGTERM, a clean shutdown; SIGKILL after 60 s
#   bash .ci/neo4j.sh status   # running or not, and the URL
#   bash .ci/neo4j.sh clean    # stop, then delete the database folder
#
# Settings (environment):
#   PARTNERMAP_NEO4J_PASSWORD  required by start: the password of user neo4j
#                              (at least 8 characters, no default)
#   NEO4J_BOLT_PORT            Bolt port on 127.0.0.1 (default 7687)
#   NEO4J_HEAP                 Java heap, e.g. 2g (default 3g)
#   NEO4J_PAGECACHE_MB         page cache in MB (default 512)
#   NEO4J_STATE_DIR            pid, log and database folder (default .neo4j/)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAUNCHER=$ROOT/tools/neo4j-launcher
JAR=$LAUNCHER/target/neo4j-launcher.jar
STATE=${NEO4J_STATE_DIR:-$ROOT/.neo4j}
PORT=${NEO4J_BOLT_PORT:-7687}
HEAP=${NEO4J_HEAP:-3g}
PIDFILE=$STATE/neo4j.pid
LOG=$STATE/neo4j.log
HOME_DIR=$STATE/home

say() { echo "neo4j.sh: $*"; }
die() { echo "neo4j.sh: $*" >&2; exit 1; }

running_pid() {
    # The pid in the pid file, if that process is still our launcher.
    [[ -f $PIDFILE ]] || return 1
    local pid args
    pid=$(cat "$PIDFILE")
    [[ -n $pid ]] || return 1
    args=$(ps -ww -p "$pid" -o args= 2>/dev/null) || return 1
    [[ $args == *neo4j-launcher.jar* ]] || return 1
    echo "$pid"
}

bolt_answers() {
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

cmd_build() {
    command -v mvn >/dev/null || die "mvn not found: install Maven 3.8+ and Java 17+"
    local t0=$SECONDS out
    # Quiet when it works; Maven's own words when it does not.
    if ! out=$(mvn -q -B -Dstyle.color=never -f "$LAUNCHER/pom.xml" package 2>&1); then
        echo "$out" >&2
        die "mvn package failed in $LAUNCHER"
    fi
    say "built $JAR in $((SECONDS - t0)) s"
}

cmd_start() {
    [[ -n ${PARTNERMAP_NEO4J_PASSWORD:-} ]] \
        || die "set PARTNERMAP_NEO4J_PASSWORD (at least 8 characters) before start"
    if pid=$(running_pid); then
        say "already running (pid $pid) on bolt://127.0.0.1:$PORT"
        return 0
    fi
    command -v java >/dev/null || die "java not found: install Java 17+"
    [[ -f $JAR ]] || cmd_build
    if bolt_answers; then
        die "port $PORT is taken by another process; set NEO4J_BOLT_PORT"
    fi
    mkdir -p "$STATE"
    : >"$LOG"
    # Own session (setsid): Ctrl-C in the calling shell does not reach it.
    setsid nohup java "-Xms$HEAP" "-Xmx$HEAP" -XX:+UseG1GC \
        -jar "$JAR" "$HOME_DIR" "$PORT" >>"$LOG" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
    say "starting (pid $!) on bolt://127.0.0.1:$PORT, log $LOG"
}

cmd_wait() {
    local limit=${NEO4J_WAIT_S:-120} t0=$SECONDS pid
    while true; do
        if ! pid=$(running_pid); then
            echo "neo4j.sh: Neo4j is not running; last lines of $LOG:" >&2
            tail -n 30 "$LOG" >&2 2>/dev/null || true
            exit 1
        fi
        if grep -q "partnermap-neo4j ready" "$LOG" 2>/dev/null && bolt_answers; then
            say "ready on bolt://127.0.0.1:$PORT after $((SECONDS - t0)) s"
            return 0
        fi
        if ((SECONDS - t0 >= limit)); then
            echo "neo4j.sh: Neo4j did not answer within $limit s; last lines of $LOG:" >&2
            tail -n 30 "$LOG" >&2 || true
            exit 1
        fi
        sleep 0.5
    done
}

cmd_stop() {
    local pid
    if ! pid=$(running_pid); then
        rm -f "$PIDFILE"
        say "not running"
        return 0
    fi
    kill -TERM "$pid"
    for _ in $(seq 600); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "no clean stop within 60 s; killing pid $pid"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PIDFILE"
    say "stopped"
}

cmd_status() {
    if pid=$(running_pid); then
        say "running (pid $pid) on bolt://127.0.0.1:$PORT"
    else
        say "not running"
        return 1
    fi
}

cmd_clean() {
    cmd_stop
    rm -rf "$HOME_DIR"
    say "deleted $HOME_DIR"
}

case ${1:-} in
    build) cmd_build ;;
    start) cmd_start ;;
    wait) cmd_wait ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    clean) cmd_clean ;;
    *) die "usage: bash .ci/neo4j.sh build|start|wait|stop|status|clean" ;;
esac
