#!/usr/bin/env bash
# Regenerates the reference corpus under lflows/ with the real OVN 23.03.1 daemons.
#
#   scripts/gen-lflows.sh [-j N] [--check] [--keep-tmp] [NAME...]
#
# For every lflows/<name>/scenario.sh (or only the NAMEs given: "001-empty-nb", "empty-nb"
# and "001" all name lflows/001-empty-nb): start private NB + SB ovsdb-servers and the
# reference ovn-northd in a temp dir, run scenario.sh (bash -eu -o pipefail, cwd = a scratch
# dir) with OVN_NB_DB/OVN_SB_DB exported, wait for `ovn-nbctl --wait=sb sync` (twice),
# stop ovn-northd, then write into lflows/<name>/
#   nb.db, sb.db           `ovsdb-client backup` of both databases
#   lflow-list.txt         `ovn-sbctl --dry-run lflow-list`
#   northd-warnings.txt    what northd.log says about the input (see log_digest)
#   reference.txt          `ovn-northd --version`
# and rebuild the index in lflows/README.md. Every daemon is stopped by the PID in its
# pidfile, also on failure; every wait is bounded. Files are replaced only on success.
#
# Unless scenario.sh contains a line "# gen: no-pin", NB_Global options mac_prefix and
# svc_monitor_mac are pinned before ovn-northd starts, so that flows are reproducible
# (ovn-northd otherwise picks them at random, and svc_monitor_mac is in every switch).
#
# --check     regenerate into a temp dir and compare with the files in lflows/
#             (lflow-list.txt with UUIDs masked and flows sorted; northd-warnings.txt with
#             UUIDs masked); writes nothing; exit 1 on any difference.
# -j N        run N scenarios in parallel (default 1).
# --keep-tmp  keep each scenario's temp dir (daemon logs, databases) and print its path.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LFLOWS=$ROOT/lflows
NB_SCHEMA=${NB_SCHEMA:-/usr/share/ovn/ovn-nb.ovsschema}
SB_SCHEMA=${SB_SCHEMA:-/usr/share/ovn/ovn-sb.ovsschema}
PIN_MAC_PREFIX=0a:00:00
PIN_SVC_MONITOR_MAC=0e:00:00:00:00:01
SCENARIO_TIMEOUT=${SCENARIO_TIMEOUT:-300}
SYNC_TIMEOUT=${SYNC_TIMEOUT:-120}

JOBS=1 CHECK=0 KEEP_TMP=${KEEP_TMP:-0}
names=() ONE=""
while [ $# -gt 0 ]; do
  case $1 in
    --one) ONE=$2; ONE_OUT=$3; shift 3 ;;   # internal: one scenario, in its own process
    -j) JOBS=$2; shift 2 ;;
    -j*) JOBS=${1#-j}; shift ;;
    --check) CHECK=1; shift ;;
    --keep-tmp) KEEP_TMP=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "gen-lflows: unknown option $1" >&2; exit 2 ;;
    *) names+=("$1"); shift ;;
  esac
done

for bin in ovsdb-tool ovsdb-server ovsdb-client ovn-northd ovn-nbctl ovn-sbctl timeout; do
  command -v "$bin" >/dev/null || { echo "gen-lflows: $bin not found (install ovn-central)" >&2; exit 1; }
done

# ---- which scenarios ------------------------------------------------------------------
all=()
for d in "$LFLOWS"/*/; do
  [ -f "$d/scenario.sh" ] && all+=("$(basename "$d")")
done
todo=()
if [ ${#names[@]} -eq 0 ]; then
  todo=("${all[@]}")
else
  for n in "${names[@]}"; do
    n=${n%/}; n=${n##*/}; hit=""
    for a in "${all[@]}"; do
      if [ "$a" = "$n" ] || [[ "$a" =~ ^[0-9]+-"$n"$ ]] || [[ "$n" =~ ^[0-9]+$ && "$a" == "$n"-* ]]; then hit=$a; fi
    done
    [ -n "$hit" ] || { echo "gen-lflows: no scenario named $n" >&2; exit 2; }
    todo+=("$hit")
  done
fi

# ---- helpers ---------------------------------------------------------------------------
alive() { # a zombie (state Z: exited, not yet reaped by our init) counts as dead
  local st
  kill -0 "$1" 2>/dev/null || return 1
  [ -r "/proc/$1/stat" ] || return 0
  st=$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
  [ "$st" != Z ]
}
stop_pidfile() { # stop the daemon whose pid is in $1 (TERM, then KILL after 5 s)
  local f=$1 pid i
  [ -s "$f" ] || return 0
  pid=$(cat "$f" 2>/dev/null) || return 0
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || { rm -f "$f"; return 0; }
  for i in $(seq 1 100); do alive "$pid" || { rm -f "$f"; return 0; }; sleep 0.05; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$f"
}

# log_digest LOG TMPDIR: what northd said about the input. WARN/ERR/EMER lines and the
# INFO lines that are not routine (connections, locks, memory, our SIGTERM...), without
# timestamp and sequence number, each distinct line once in first-seen order (the
# reference re-logs the same complaint on every recompute, so counts depend on timing).
NOISE='\|(vlog|reconnect|memory_trim|memory|ovn_parallel_hmap|fatal_signal|timeval|poll_loop|coverage|jsonrpc|stream_unix|unixctl|daemon_unix|inc_proc_eng)(\([^)]*\))?\||lock acquired|lock lost|commit failed, force recompute|OVN internal version|IDL reconnected|\|DBG\|'
log_digest() {
  { grep -E '\|(INFO|WARN|ERR|EMER)\|' "$1" || true; } | { grep -Ev "$NOISE" || true; } \
    | sed -E 's/^[^|]*\|[0-9]+\|//' | sed "s#$2#\$TMPDIR#g" | awk '!seen[$0]++'
}

# norm_lflows FILE: lflow-list with UUIDs masked, each flow prefixed by its datapath/pipeline
# header and sorted (ovn-sbctl orders datapaths with the same name by their random SB UUID)
norm_lflows() {
  mask_uuids "$1" | awk '/^Datapath:/ { h = $0; next } { print h " |" $0 }' | LC_ALL=C sort
}
mask_uuids() { sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g' "$@"; }

# run_one NAME OUTDIR: generate the files of one scenario into OUTDIR (must exist)
run_one() (
  set -euo pipefail
  name=$1 out=$2
  src=$LFLOWS/$name
  D=$(mktemp -d "${TMPDIR:-/tmp}/ovn-lflows-gen.XXXXXX")
  cleanup() {
    local rc=$?
    stop_pidfile "$D/northd.pid"; stop_pidfile "$D/sb.pid"; stop_pidfile "$D/nb.pid"
    if [ $rc -ne 0 ]; then
      echo "---- $name failed (rc=$rc); last lines of scenario output and northd.log:" >&2
      tail -n 20 "$D/scenario.out" >&2 2>/dev/null || true
      tail -n 10 "$D/northd.log" >&2 2>/dev/null || true
    fi
    if [ "$KEEP_TMP" = 1 ]; then echo "kept $D" >&2; else rm -rf "$D"; fi
  }
  trap cleanup EXIT
  mkdir "$D/work" "$D/out"
  NB=unix:$D/nb.sock SB=unix:$D/sb.sock

  ovsdb-tool create "$D/nb.db" "$NB_SCHEMA"
  ovsdb-tool create "$D/sb.db" "$SB_SCHEMA"
  for db in nb sb; do
    ovsdb-server --detach --no-chdir --pidfile="$D/$db.pid" --log-file="$D/$db.log" \
      --remote=punix:"$D/$db.sock" --unixctl="$D/$db.ctl" "$D/$db.db" 2>/dev/null
  done
  if ! grep -q '^# gen: no-pin' "$src/scenario.sh"; then
    ovn-nbctl --db="$NB" --timeout=30 init -- set NB_Global . \
      options:mac_prefix=$PIN_MAC_PREFIX options:svc_monitor_mac=$PIN_SVC_MONITOR_MAC
  fi
  ovn-northd --detach --no-chdir --pidfile="$D/northd.pid" --log-file="$D/northd.log" \
    --ovnnb-db="$NB" --ovnsb-db="$SB" --unixctl="$D/northd.ctl" 2>/dev/null

  start=$(date +%s.%N)
  ( cd "$D/work" && OVN_NB_DB=$NB OVN_SB_DB=$SB SCENARIO_DIR=$src \
      timeout "$SCENARIO_TIMEOUT" bash -eu -o pipefail "$src/scenario.sh" ) >"$D/scenario.out" 2>&1
  # Twice: the first round also lets northd react to SB-side changes made by the scenario.
  for i in 1 2; do
    OVN_NB_DB=$NB OVN_SB_DB=$SB ovn-nbctl --timeout="$SYNC_TIMEOUT" --wait=sb sync
  done
  stop_pidfile "$D/northd.pid"

  ovsdb-client --timeout=60 backup "$NB" OVN_Northbound >"$D/out/nb.db"
  ovsdb-client --timeout=60 backup "$SB" OVN_Southbound >"$D/out/sb.db"
  ovn-sbctl --db="$SB" --timeout=60 --dry-run lflow-list >"$D/out/lflow-list.txt"
  log_digest "$D/northd.log" "$D" >"$D/out/northd-warnings.txt"
  ovn-northd --version >"$D/out/reference.txt"
  end=$(date +%s.%N)
  mv "$D"/out/* "$out"/
  printf '%-40s %6d flows  %5.1fs\n' "$name" "$(grep -c '^  table=' "$out/lflow-list.txt")" \
    "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
)

# write_index: rebuild the scenario table between the markers in lflows/README.md
write_index() {
  local readme=$LFLOWS/README.md tbl n d desc flows dps warns kb
  tbl=$(mktemp)
  {
    echo "| scenario | description | datapaths | flows | log lines | size (KiB) |"
    echo "|---|---|---:|---:|---:|---:|"
    for d in "$LFLOWS"/*/; do
      n=$(basename "$d")
      [ -f "$d/scenario.sh" ] || continue
      desc=$(sed -n 's/^# desc: //p' "$d/scenario.sh" | head -n 1)
      if [ -f "$d/lflow-list.txt" ]; then
        flows=$(grep -c '^  table=' "$d/lflow-list.txt" || true)
        dps=$({ grep -oE '^Datapath: .*\)' "$d/lflow-list.txt" || true; } | sort -u | wc -l)
        warns=$(grep -c '' "$d/northd-warnings.txt" || true)
        kb=$(du -sk --apparent-size "$d" | cut -f1)
      else flows=-; dps=-; warns=-; kb=-; fi
      echo "| [$n]($n/scenario.sh) | $desc | $dps | $flows | $warns | $kb |"
    done
  } >"$tbl"
  if [ -f "$readme" ] && grep -q '^<!-- BEGIN INDEX' "$readme"; then
    awk -v tbl="$tbl" '
      /^<!-- BEGIN INDEX/ { print; while ((getline l < tbl) > 0) print l; skip = 1; next }
      /^<!-- END INDEX/ { skip = 0 }
      !skip { print }' "$readme" >"$readme.tmp" && mv "$readme.tmp" "$readme"
  else
    { echo; echo "<!-- BEGIN INDEX (generated by scripts/gen-lflows.sh) -->"; cat "$tbl"
      echo "<!-- END INDEX -->"; } >>"$readme"
  fi
  rm -f "$tbl"
}

if [ -n "$ONE" ]; then run_one "$ONE" "$ONE_OUT"; exit 0; fi

# ---- run -------------------------------------------------------------------------------
T0=$(date +%s)
RES=$(mktemp -d "${TMPDIR:-/tmp}/ovn-lflows-res.XXXXXX")
trap 'rm -rf "$RES"' EXIT
launch() {
  local n=$1 out
  if [ "$CHECK" = 1 ]; then out=$RES/$n; mkdir -p "$out"; else out=$LFLOWS/$n; fi
  # a separate process, so that `set -e` holds inside run_one
  if KEEP_TMP=$KEEP_TMP bash "$0" --one "$n" "$out" >"$RES/$n.log" 2>&1; then echo ok >"$RES/$n.status"; else echo fail >"$RES/$n.status"; fi
  cat "$RES/$n.log"
}
running=0
for n in "${todo[@]}"; do
  if [ "$running" -ge "$JOBS" ]; then wait -n || true; running=$((running - 1)); fi
  launch "$n" & running=$((running + 1))
done
wait

failed=()
for n in "${todo[@]}"; do [ "$(cat "$RES/$n.status" 2>/dev/null)" = ok ] || failed+=("$n"); done

rc=0
if [ "$CHECK" = 1 ]; then
  for n in "${todo[@]}"; do
    [ -f "$RES/$n/lflow-list.txt" ] || continue
    for f in lflow-list.txt northd-warnings.txt; do
      if [ $f = lflow-list.txt ]; then norm=norm_lflows; else norm=mask_uuids; fi
      if ! diff -u <($norm "$LFLOWS/$n/$f" 2>/dev/null) <($norm "$RES/$n/$f") >"$RES/$n.$f.diff"; then
        echo "DIFF $n/$f:"; head -n 40 "$RES/$n.$f.diff"; rc=1
      fi
    done
  done
  [ $rc -eq 0 ] && echo "check: ${#todo[@]} scenarios reproduce the committed lflow-list.txt / northd-warnings.txt"
else
  write_index
fi
if [ ${#failed[@]} -gt 0 ]; then echo "FAILED: ${failed[*]}" >&2; rc=1; fi
echo "gen-lflows: ${#todo[@]} scenario(s) in $(( $(date +%s) - T0 ))s"
exit $rc
