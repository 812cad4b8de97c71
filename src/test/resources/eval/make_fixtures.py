"""Builds the agreement fixtures in this folder and prints sacreBLEU's scores for them.

Hypotheses are references perturbed deterministically (random.Random(seed)): words (en-fr) or characters
(en-zh) dropped, swapped with a neighbour or replaced by another unit taken from the same corpus slice.
sacreBLEU is not part of attention-zoo; point SACREBLEU_SRC at a source checkout of
https://github.com/mjpost/sacrebleu (tag v2.6.0, with sacrebleu/version.py holding __version__ = "2.6.0"):

    SACREBLEU_SRC=/path/to/sacrebleu /usr/bin/python3 make_fixtures.py path/to/gettext-corpora
"""
import os
import random
import sys

sys.path.insert(0, os.environ["SACREBLEU_SRC"])
import sacrebleu  # noqa: E402
from sacrebleu.metrics import BLEU, CHRF  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LINES = 200
# name -> (drop, swap, replace) probabilities per unit
SYSTEMS = {"light": (0.05, 0.05, 0.05), "medium": (0.15, 0.10, 0.15), "heavy": (0.30, 0.20, 0.30)}


def perturb(units, pool, rng, drop, swap, replace):
    out = []
    for u in units:
        r = rng.random()
        if r < drop:
            continue
        if r < drop + replace:
            out.append(rng.choice(pool))
        else:
            out.append(u)
    for i in range(len(out) - 1):
        if rng.random() < swap:
            out[i], out[i + 1] = out[i + 1], out[i]
    return out


def main(data):
    print("sacreBLEU", sacrebleu.__version__)
    for pair, by_char, tok in (("en-fr", False, "13a"), ("en-zh", True, "zh")):
        with open(os.path.join(data, pair + ".dev.tsv"), encoding="utf-8") as f:
            refs = [line.rstrip("\n").split("\t")[1] for line in f][:LINES]
        with open(os.path.join(HERE, pair + ".ref.txt"), "w", encoding="utf-8") as f:
            f.writelines(r + "\n" for r in refs)
        split = (lambda s: list(s)) if by_char else (lambda s: s.split())
        join = (lambda us: "".join(us)) if by_char else (lambda us: " ".join(us))
        pool = [u for r in refs for u in split(r) if not u.isspace()]
        for seed, (name, probs) in enumerate(SYSTEMS.items(), start=1):
            rng = random.Random(seed)
            hyps = [join(perturb(split(r), pool, rng, *probs)) for r in refs]
            with open(os.path.join(HERE, f"{pair}.{name}.txt"), "w", encoding="utf-8") as f:
                f.writelines(h + "\n" for h in hyps)
            bleu = BLEU(tokenize=tok)
            b = bleu.corpus_score(hyps, [refs])
            chrf = CHRF()
            c = chrf.corpus_score(hyps, [refs])
            print(f"{pair}.{name}\t{b}\t{bleu.get_signature()}")
            print(f"{pair}.{name}\t{c}\t{chrf.get_signature()}")


if __name__ == "__main__":
    main(sys.argv[1])
