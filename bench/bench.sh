#!/bin/sh
# `npm run bench [-- options]`: raises the open-file limit (10,000 stations need more than the
# usual 1,024 descriptors; as root the hard limit can be raised too), then runs the suite. The
# fleet section (`--only=fleet`, tens of thousands of stations) has its own runner and wants more.
cd "$(dirname "$0")/.." || exit 1
case " $* " in
  *" --only=fleet "*)
    ulimit -n 400000 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    exec node --import tsx bench/fleet/run.ts "$@"
    ;;
esac
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec node --import tsx bench/run.ts "$@"
