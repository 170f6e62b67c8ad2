#!/usr/bin/env bash
# The connection journal's storm writes with random and with time-ordered connection ids, on H2 in
# memory (the embedded default) and on PostgreSQL (127.0.0.1:5432, database test), each run a fresh
# JVM, the two kinds alternating. Prints the mean of each run's last 10 storms (the first 10 fill
# the table to 100,000 rows and warm the JIT). Needs the H2 and PostgreSQL drivers in ~/.m2 (a build
# of the project puts them there).
set -euo pipefail
cd "$(dirname "$0")"
m2=~/.m2/repository
h2=$(ls "$m2"/com/h2database/h2/*/h2-*.jar | tail -1)
pg=$(ls "$m2"/org/postgresql/postgresql/*/postgresql-*.jar | tail -1)
out=$(mktemp -d)
javac -d "$out" JournalKeyOrder.java
for database in "jdbc:h2:mem:keys;MODE=PostgreSQL" "jdbc:postgresql://127.0.0.1:5432/test"; do
  for round in 1 2 3; do
    for kind in random ordered; do
      java -cp "$out:$h2:$pg" JournalKeyOrder "$kind" "$database" | tail -10 |
        awk -v db="$(echo "$database" | cut -d: -f2)" -v k="$kind" -v r="$round" \
          '{ sum += $4 } END { printf "%s %s run %d: %.0f ms per storm of 10,000\n", db, k, r, sum / 10 }'
    done
  done
done
