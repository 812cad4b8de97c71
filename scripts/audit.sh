#!/usr/bin/env bash
# Reruns the bad-input audit (issue 22) against the built CLI: hostile and damaged model files, card
# errors, bad corpora, bad options, divergence, foreign files in --out. Prints one row per case
# (case | expected | observed | ok) and exits 1 if any row is not as expected.
#
# Usage: scripts/audit.sh            (builds target/attention-zoo.jar if missing; needs java and python3)
set -u
cd "$(dirname "$0")/.."
JAR=${JAR:-target/attention-zoo.jar}
[ -f "$JAR" ] || mvn -q package -DskipTests || exit 1
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
FIX=src/test/resources/saved-models/v1
# Each command gets a small heap, so a part read whole instead of within its limit ends in an error.
zoo() { timeout 120 java -Xmx${HEAP:-192m} -jar "$JAR" "$@"; }
FAILED=0
printf '%-44s | %-52s | %s\n' "case" "expected" "observed"

# row NAME EXPECTED_CODE STDERR_REGEX OBSERVED_CODE STDERR_FILE [EXTRA_OK]: as expected when the exit code
# is, stderr matches (an empty regex: stderr is empty), a failure is one line with no stack trace, and
# EXTRA_OK (a check of the files) is true.
row() {
  local name=$1 code=$2 pattern=$3 got=$4 err=$5 extra=${6:-true}
  local first; first=$(head -c 160 "$err" | head -1)
  local lines; lines=$(grep -c . "$err")
  local ok=yes
  local matched=true
  if [ -z "$pattern" ]; then [ "$lines" = 0 ] || matched=false; else grep -Eq -- "$pattern" "$err" || matched=false; fi
  if [ "$got" != "$code" ] || [ "$matched" != true ] || [ "$extra" != true ] \
     || { [ "$code" != 0 ] && [ "$lines" != 1 ]; } || grep -q '^\s*at ' "$err"; then
    ok=NO; FAILED=1
  fi
  printf '%-44s | exit %s, %-44s | exit %s, %s lines: %s [%s]\n' "$name" "$code" "/$pattern/" "$got" "$lines" "$first" "$ok"
}

# A Java serialization stream of nested HashSets (JDK classes only): 2^100 hash computations when read.
cat > "$W/Sets.java" <<'JAVA'
import java.io.*;
import java.util.*;
public class Sets {
    public static void main(String[] a) throws Exception {
        Set<Object> root = new HashSet<>(), s1 = root, s2 = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Set<Object> t1 = new HashSet<>(), t2 = new HashSet<>();
            t1.add("x");
            s1.add(t1); s1.add(t2); s2.add(t1); s2.add(t2);
            s1 = t1; s2 = t2;
        }
        try (ObjectOutputStream out = new ObjectOutputStream(new FileOutputStream(a[0]))) {
            out.writeObject(root);
        }
    }
}
JAVA
java "$W/Sets.java" "$W/sets.ser" || exit 1

# Hostile model files, built from a good fixture.
python3 - "$FIX/seq2seq-lstm.zip" "$FIX/transformer-tiny.zip" "$W" <<'PY'
import io, sys, zipfile, pickle, struct
good, tiny, w = sys.argv[1], sys.argv[2], sys.argv[3]
def entries(data):
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}
def zipped(ents):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in ents.items():
            z.writestr(n, d)
    return b.getvalue()
def model(src, name, outer_edit=None, graph_edit=None):
    outer = entries(open(src, "rb").read())
    if graph_edit:
        outer["graph.zip"] = zipped(graph_edit(entries(outer["graph.zip"])))
    if outer_edit:
        outer_edit(outer)
    open(f"{w}/{name}", "wb").write(zipped(outer))
marker = open(f"{w}/sets.ser", "rb").read()
def add(name, data):
    return lambda g: {name: data, **g}
model(good, "laughs.zip", graph_edit=add("preprocessor.bin", marker))
model(good, "preprocessor-last.zip", graph_edit=lambda g: {**g, "preprocessor.bin": marker})
def bomb(g):
    return {"configuration.json": b" " * (300 << 20)}
model(good, "bomb.zip", graph_edit=bomb)
def foreign(g):
    g["configuration.json"] = g["configuration.json"].replace(b"org.nd4j.linalg.activations.impl.ActivationSigmoid",
                                                            b"com.example.Gadget", 1)
    return g
model(good, "foreign-class.zip", graph_edit=foreign)
def huge_header(g):
    c = bytearray(g["coefficients.bin"]); at = c.find(b"FLOAT")
    c[at - 10:at - 2] = struct.pack(">q", 1 << 40); g["coefficients.bin"] = bytes(c); return g
model(good, "huge-array.zip", graph_edit=huge_header)
def card_edit(a, b):
    def e(o):
        o["card.json"] = o["card.json"].replace(a, b)
    return e
model(tiny, "lying-card.zip", outer_edit=card_edit(b'"decoderLayers" : 2', b'"decoderLayers" : 1'))
model(tiny, "lying-heads.zip", outer_edit=card_edit(b'"heads" : 2', b'"heads" : 4'))
model(good, "big-card.zip", outer_edit=lambda o: o.__setitem__("card.json", b" " * (8 << 20) + o["card.json"]))
data = open(good, "rb").read()
open(f"{w}/truncated.zip", "wb").write(data[: len(data) // 2])
PY

for case in "laughs.zip|1|preprocessor.bin: unexpected entry" "preprocessor-last.zip|1|preprocessor.bin: unexpected entry" \
            "bomb.zip|1|configuration.json: larger than the 16,777,216 bytes a model part may have here; refused" "foreign-class.zip|1|com.example.Gadget.*refused" \
            "huge-array.zip|1|holds 1,099,511,627,776 parameters" "lying-card.zip|1|does not match card.json.*decoder_1" \
            "lying-heads.zip|1|does not match card.json.*differs in" "big-card.zip|1|card.json: declares 8,[0-9,]+ bytes, more than the 1,048,576" \
            "truncated.zip|1|truncated.zip" "missing.zip|1|missing.zip: model file not found"; do
  IFS='|' read -r file code pattern <<< "$case"
  start=$(date +%s)
  echo "hello" | zoo translate --model "$W/$file" > "$W/out" 2> "$W/err"; got=$?
  secs=$(( $(date +%s) - start ))
  row "translate --model $file (${secs}s)" "$code" "$pattern" "$got" "$W/err" "$([ $secs -lt 60 ] && echo true || echo false)"
done
echo "hello" | zoo translate --model "$FIX/seq2seq-lstm.zip" > "$W/out" 2> "$W/err"; got=$?
row "translate --model seq2seq-lstm.zip (good)" 0 "" "$got" "$W/err" "$([ -s "$W/out" ] && echo true || echo false)"

# Corpora and options.
printf 'one two\tun deux\ntwo one\tdeux un\none one\tun un\ntwo two\tdeux deux\n' > "$W/train.tsv"
for i in 1 2 3; do cat "$W/train.tsv"; done > "$W/t.tsv"; mv "$W/t.tsv" "$W/train.tsv"
printf '{"name": "tiny", "family": "seq2seq", "embeddingSize": 8, "hiddenSize": 8, "learningRate": %s}\n' 0.01 > "$W/card.json"
printf '{"name": "tiny", "family": "seq2seq", "embeddingSize": 8, "hiddenSize": 8, "learningRate": %s}\n' 1e30 > "$W/absurd.json"
printf '{"name": "tiny", "family": "attention", "embeddingSize": 8, "hiddenSize": 8, "attentionSize": 4, "learningRate": %s}\n' 1e30 > "$W/absurd-att.json"
{ cat "$W/train.tsv"; printf 'no tab here\n'; } > "$W/notab.tsv"
{ cat "$W/train.tsv"; printf 'caf\xe9\tx\n'; } > "$W/latin1.tsv"

zoo train --model "$W/card.json" --train "$W/notab.tsv" --out "$W/o1" --steps 1 > /dev/null 2> "$W/err"; got=$?
row "train: line without a tab" 1 "notab.tsv:13: no tab" "$got" "$W/err" "$([ ! -e "$W/o1" ] && echo true || echo false)"
zoo train --model "$W/card.json" --train "$W/latin1.tsv" --out "$W/o2" --steps 1 > /dev/null 2> "$W/err"; got=$?
row "train: invalid UTF-8 line" 1 "latin1.tsv:13: invalid UTF-8" "$got" "$W/err"
zoo train --model "$W/card.json" --train "$W/latin1.tsv" --out "$W/o3" --steps 1 --batch 4 --skip-bad-lines > /dev/null 2> "$W/err"; got=$?
row "train: invalid UTF-8 with --skip-bad-lines" 0 "skipped 1 malformed lines" "$got" "$W/err" "$([ -f "$W/o3/model.zip" ] && echo true || echo false)"
zoo train --model "$W/card.json" --train "$W/train.tsv" --out "$W/o4" --minutes -1 > /dev/null 2> "$W/err"; got=$?
row "train --minutes -1" 1 "must be positive numbers" "$got" "$W/err" "$([ ! -e "$W/o4" ] && echo true || echo false)"
for c in absurd absurd-att; do
  zoo train --model "$W/$c.json" --train "$W/train.tsv" --out "$W/o-$c" --steps 5 --batch 4 > /dev/null 2> "$W/err"; got=$?
  row "train: learning rate 1e30 ($c)" 1 "training diverged at step 1: .*last.zip \(step 0\)" "$got" "$W/err" \
    "$([ -f "$W/o-$c/last.zip" ] && [ ! -e "$W/o-$c/model.zip" ] && echo true || echo false)"
done
mkdir -p "$W/o5"; echo keep > "$W/o5/foo.zip.123.tmp"; echo keep > "$W/o5/.last.zip.x.azoo-tmp"
zoo train --model "$W/card.json" --train "$W/train.tsv" --out "$W/o5" --steps 2 --batch 4 > /dev/null 2> "$W/err"; got=$?
row "train --out with foreign *.tmp files" 0 "" "$got" "$W/err" \
  "$([ "$(cat "$W/o5/foo.zip.123.tmp")" = keep ] && [ -f "$W/o5/.last.zip.x.azoo-tmp" ] && echo true || echo false)"

[ "$FAILED" = 0 ] && echo "audit: every row as expected" || echo "audit: some rows NOT as expected"
exit "$FAILED"
