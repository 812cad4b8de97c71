#!/usr/bin/env bash
# Checks attention-zoo as a library: installs it without the test suite (mvn install -DskipTests), builds the
# application in src/test/consumer against the installed artifact, prints that application's dependency tree,
# runs its TranslateLine (the README's library snippet) on a checked-in model, and checks
#   - the application's classpath has no slf4j-simple, no picocli and no example classes;
#   - the runnable CLI jar (target/attention-zoo.jar) still has all three;
#   - the snippet's translation is the one recorded for that model.
# Usage: scripts/consumer-check.sh [maven options...]   e.g.  -o -Dmaven.repo.local=/tmp/m2-copy
# The options go to every mvn call (a separate local repository keeps the install out of ~/.m2).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
consumer="$root/src/test/consumer"
fixture="$root/src/test/resources/saved-models/v1/luong-general.zip"
failed=0
check() { if eval "$2"; then echo "ok:   $1"; else echo "FAIL: $1"; failed=1; fi; }

cd "$root"
start=$(date +%s)
mvn -q "$@" install -DskipTests
echo "mvn install -DskipTests: $(( $(date +%s) - start )) s"

cd "$consumer"
rm -rf target
mvn -q "$@" dependency:tree -DoutputFile=target/dependency-tree.txt
mvn -q "$@" dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
echo "--- dependency tree of the application"
cat target/dependency-tree.txt
mvn -q "$@" compile exec:java -Dexec.args="$fixture '1 2 3'" > target/run.txt 2> target/run-err.txt || { cat target/run-err.txt; exit 1; }
echo "--- TranslateLine $fixture '1 2 3'"
cat target/run.txt

library_jar=$(tr ':' '\n' < target/classpath.txt | grep '/attention-zoo-[^/]*\.jar$')
unzip -l "$library_jar" > target/library-jar.txt
unzip -l "$root/target/attention-zoo.jar" > target/cli-jar.txt
check "application classpath has no slf4j-simple" "! grep -q slf4j-simple target/classpath.txt"
check "application classpath has no picocli" "! grep -q picocli target/classpath.txt"
check "library jar has no example classes" "! grep -q 'org/attentionzoo/examples/' target/library-jar.txt"
check "library jar has the CLI classes and the licence" "grep -q 'org/attentionzoo/cli/ZooCli.class' target/library-jar.txt && grep -q 'META-INF/LICENSE' target/library-jar.txt"
check "CLI jar has slf4j-simple" "grep -q 'org/slf4j/impl/SimpleLogger.class' target/cli-jar.txt"
check "CLI jar has picocli" "grep -q 'picocli/CommandLine.class' target/cli-jar.txt"
check "CLI jar has the examples" "grep -q 'org/attentionzoo/examples/Quickstart.class' target/cli-jar.txt"
check "snippet translates '1 2 3' as recorded ('3 3')" "[ \"\$(head -1 target/run.txt)\" = '3 3' ]"
exit $failed
