"""Evaluates the EXPORTED package on the held-out set, with the decoding loop the C++ runtime runs.

`PackageRuntime` uses only model.json, vocab.txt and the three TorchScript files (torch.jit.load); it is
the executable form of README.md's contract: preprocess -> vision -> prefill -> greedy step() until
<eos> or budget -> hidden states of the consumed [SEG] tokens -> mask decoder -> masks at image size.

Metrics (written to metrics.json): gIoU / cIoU with the LISA protocol against the LISA-rasterised polygons
(per sample I/(U+1e-5), empty prediction on empty ground truth = 1), no-target accuracy, Spearman of
generated chain length vs difficulty, mean generated tokens per difficulty bucket (PixelThink thresholds
3.5 / 5.0), exact chain match, per-family gIoU and timings. It also checks that step() reproduces
prefill() (KV-cache consistency) and writes reference_run.json, a few decoded samples for runtime tests.

    /usr/bin/python3 models/shapes/evaluate.py
"""
import argparse
import glob
import json
import os
import sys
import time

import cv2
import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from heldout import lisa_rasterise  # noqa: E402


class PackageRuntime:
    """Reference implementation of the package contract in README.md (no import of model.py)."""

    def __init__(self, package: str, device: str = "cpu"):
        with open(os.path.join(package, "model.json")) as f:
            self.cfg = json.load(f)
        with open(os.path.join(package, self.cfg["tokenizer"]["file"])) as f:
            self.vocab = [line.rstrip("\n") for line in f]
        self.ids = {w: i for i, w in enumerate(self.vocab)}
        mods = self.cfg["modules"]
        load = lambda name: torch.jit.load(os.path.join(package, mods[name]["file"]), map_location=device).eval()
        self.vision, self.language, self.decoder = load("vision"), load("language"), load("mask_decoder")
        self.device = device
        sp = self.cfg["special_tokens"]
        self.tok = {k: self.ids[v] for k, v in sp.items()}
        self.punct = set(self.cfg["tokenizer"]["punctuation"])

    # ------------------------------------------------------------------ text
    def tokenize(self, text: str):
        out = []
        for piece in text.lower().split():
            word = ""
            for ch in piece:
                if ch in self.punct:
                    if word:
                        out.append(word)
                    word = ""
                    out.append(ch)
                else:
                    word += ch
            if word:
                out.append(word)
        return out

    def prompt_ids(self, question: str, has_box: bool):
        ids = [self.tok["bos"]] + [self.ids.get(w, self.tok["unk"]) for w in self.tokenize(question)]
        ids = ids[:self.cfg["limits"]["max_prompt_tokens"] - (1 if has_box else 0)]
        return ids + ([self.tok["box"]] if has_box else [])

    # ----------------------------------------------------------------- image
    def preprocess(self, rgb: np.ndarray):
        inp = self.cfg["input"]
        h, w = rgb.shape[:2]
        scale = inp["width"] / max(h, w)
        nh, nw = int(h * scale + 0.5), int(w * scale + 0.5)
        img = rgb if (nh, nw) == (h, w) else cv2.resize(rgb, (nw, nh), interpolation=cv2.INTER_LINEAR)
        x = (torch.from_numpy(img).float() - torch.tensor(inp["mean"])) / torch.tensor(inp["std"])
        canvas = torch.zeros(inp["height"], inp["width"], 3)
        canvas[:nh, :nw] = x
        return canvas.permute(2, 0, 1).unsqueeze(0).contiguous().to(self.device), scale, (nh, nw)

    # ---------------------------------------------------------------- decode
    def run(self, rgb: np.ndarray, question: str, box_pixels=None, max_new_tokens=None):
        t0 = time.perf_counter()
        image, scale, (nh, nw) = self.preprocess(rgb)
        size = self.cfg["input"]["width"]
        box = torch.zeros(1, 4, device=self.device)
        has_box = torch.zeros(1, device=self.device)
        if box_pixels is not None:
            box = torch.tensor([box_pixels], dtype=torch.float32, device=self.device) * scale / size
            has_box[0] = 1.0
        ids = self.prompt_ids(question, box_pixels is not None)
        t1 = time.perf_counter()
        with torch.no_grad():
            feats = self.vision(image)
            t2 = time.perf_counter()
            logits, hidden, cache = self.language.prefill(
                feats, torch.tensor([ids], dtype=torch.long, device=self.device), box, has_box)
            t3 = time.perf_counter()
            limits = self.cfg["limits"]
            budget = min(max_new_tokens or limits["max_new_tokens"], limits["max_text_positions"] - len(ids))
            position, nxt = len(ids), logits[0, -1]
            tokens, logprobs, entropies, seg_hidden = [], [], [], []
            while len(tokens) < budget:
                lp = F.log_softmax(nxt.float(), dim=-1)
                tok = int(lp.argmax())
                tokens.append(tok)
                logprobs.append(float(lp[tok]))
                entropies.append(float(-(lp.exp() * lp).sum()))
                if tok == self.tok["eos"] or position >= limits["max_text_positions"]:
                    break
                logits, hidden, cache = self.language.step(
                    torch.tensor([[tok]], dtype=torch.long, device=self.device), cache, position)
                position += 1
                if tok == self.tok["seg"]:
                    seg_hidden.append(hidden[0, 0])
                nxt = logits[0, 0]
            t4 = time.perf_counter()
            seg_hidden = seg_hidden[:limits["max_targets"]]
            masks, boxes, scores = self.decode_masks(feats, seg_hidden, rgb.shape[:2], scale, (nh, nw))
            t5 = time.perf_counter()
        n_decode = max(len(tokens) - 1, 1)
        return {"ids": ids, "tokens": tokens, "words": [self.vocab[t] for t in tokens], "logprobs": logprobs,
                "entropies": entropies, "masks": masks, "boxes": boxes, "scores": scores,
                "timing_ms": {"preprocess": 1e3 * (t1 - t0), "vision": 1e3 * (t2 - t1), "prefill": 1e3 * (t3 - t2),
                              "time_to_first_token": 1e3 * (t3 - t0), "decode": 1e3 * (t4 - t3),
                              "tokens_per_s": n_decode / max(t4 - t3, 1e-9), "mask_decoder": 1e3 * (t5 - t4),
                              "total": 1e3 * (t5 - t0)}}

    def decode_masks(self, feats, seg_hidden, shape, scale, valid):
        if not seg_hidden:
            return [], [], []
        logits, boxes, scores = self.decoder(feats, torch.stack(seg_hidden))
        nh, nw = valid
        logits = logits[:, :nh, :nw].unsqueeze(1)
        logits = F.interpolate(logits, size=shape, mode="bilinear", align_corners=False)[:, 0]
        size = self.cfg["input"]["width"]
        masks = [(m > self.cfg["mask_threshold"]["logit_greater_than"]).cpu().numpy() for m in logits]
        boxes = [(b * size / scale).cpu().tolist() for b in boxes]
        return masks, boxes, scores.cpu().tolist()


# ------------------------------------------------------------------------------------------------ metrics

def spearman(a, b):
    def ranks(x):
        x = np.asarray(x, float)
        order = np.argsort(x, kind="mergesort")
        r = np.empty(len(x))
        i = 0
        while i < len(x):
            j = i
            while j + 1 < len(x) and x[order[j + 1]] == x[order[i]]:
                j += 1
            r[order[i:j + 1]] = (i + j) / 2.0
            i = j + 1
        return r
    return float(np.corrcoef(ranks(a), ranks(b))[0, 1])


def intersection_union(pred, gt):
    """LISA intersectionAndUnion on one mask: ignore (255) pixels removed from both, foreground class."""
    valid = gt != 255
    p = pred & valid
    g = (gt == 1)
    inter = int((p & g).sum())
    return inter, int(p.sum()) + int(g.sum()) - inter


def bucket(d):
    return "easy" if d < 3.5 else ("medium" if d < 5.0 else "hard")


def check_cache_consistency(rt, rgb, box, result):
    """prefill over prompt + generated tokens must predict the same greedy tokens as the step() loop."""
    seq = result["ids"] + result["tokens"][:-1]
    with torch.no_grad():
        image, scale, _ = rt.preprocess(rgb)
        size = rt.cfg["input"]["width"]
        b = torch.zeros(1, 4) if box is None else torch.tensor([box], dtype=torch.float32) * scale / size
        hb = torch.tensor([0.0 if box is None else 1.0])
        feats = rt.vision(image)
        full_logits, _, _ = rt.language.prefill(feats, torch.tensor([seq]), b, hb)
    greedy = full_logits[0, len(result["ids"]) - 1:].argmax(-1).tolist()
    return greedy == result["tokens"]


def evaluate(package, heldout, limit=None):
    torch.set_num_threads(1)
    rt = PackageRuntime(package)
    with open(os.path.join(heldout, "difficulty.json")) as f:
        difficulty = {r["image_id"]: r["difficulty_score_model"] for r in json.load(f)}
    with open(os.path.join(heldout, "reasoning.json")) as f:
        reference = json.load(f)
    files = sorted(glob.glob(os.path.join(heldout, "*.jpg")))[:limit]
    per, inter_sum, union_sum, timings, reference_run = [], 0, 0, [], []
    consistent = []
    for path in files:
        stem = os.path.splitext(os.path.basename(path))[0]
        with open(path[:-4] + ".json") as f:
            rec = json.load(f)
        rgb = cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB)
        gt = lisa_rasterise(rec["shapes"], rgb.shape[0], rgb.shape[1])
        res = rt.run(rgb, rec["text"][0], rec.get("box_input"))
        pred = np.zeros(gt.shape, bool)
        for m in res["masks"]:
            pred |= m
        i, u = intersection_union(pred, gt)
        inter_sum, union_sum = inter_sum + i, union_sum + u
        words = [w for w in res["words"] if w != "<eos>"]
        per.append({"stem": stem, "family": rec.get("family"), "difficulty": difficulty[stem],
                    "iou": 1.0 if u == 0 else i / (u + 1e-5), "gt_empty": not (gt == 1).any(),
                    "pred_empty": len(res["masks"]) == 0, "n_tokens": len(words),
                    "exact": " ".join(words) == reference[stem], "n_pred": len(res["masks"]),
                    "n_gt": len(rec["shapes"])})
        timings.append(res["timing_ms"])
        if len(consistent) < 5:
            consistent.append(check_cache_consistency(rt, rgb, rec.get("box_input"), res))
        if len(reference_run) < 4:
            reference_run.append({"stem": stem, "question": rec["text"][0], "box_input": rec.get("box_input"),
                                  "prompt_ids": res["ids"], "generated_ids": res["tokens"],
                                  "generated_text": " ".join(res["words"]),
                                  "mask_pixels": [int(m.sum()) for m in res["masks"]],
                                  "boxes_pixels": [[round(v, 2) for v in b] for b in res["boxes"]],
                                  "scores": [round(s, 4) for s in res["scores"]]})
    return summarise(per, inter_sum, union_sum, timings, consistent), reference_run


def summarise(per, inter_sum, union_sum, timings, consistent):
    ious = np.array([p["iou"] for p in per])
    empty = [p for p in per if p["gt_empty"]]
    nonempty = [p for p in per if not p["gt_empty"]]
    diff = [p["difficulty"] for p in per]
    lens = [p["n_tokens"] for p in per]
    buckets = {}
    for name in ("easy", "medium", "hard"):
        sel = [p for p in per if bucket(p["difficulty"]) == name]
        buckets[name] = {"n": len(sel), "mean_generated_tokens": round(float(np.mean([p["n_tokens"] for p in sel])), 2)
                         if sel else None, "gIoU": round(float(np.mean([p["iou"] for p in sel])), 4) if sel else None}
    families = {}
    for fam in sorted({p["family"] for p in per}):
        sel = [p for p in per if p["family"] == fam]
        families[fam] = {"n": len(sel), "gIoU": round(float(np.mean([p["iou"] for p in sel])), 4),
                         "exact_chain": round(float(np.mean([p["exact"] for p in sel])), 4)}
    mean_t = {k: round(float(np.mean([t[k] for t in timings])), 3) for k in timings[0]}
    return {
        "n_samples": len(per),
        "gIoU": round(float(ious.mean()), 4),
        "cIoU": round(float(inter_sum / (union_sum + 1e-10)), 4),
        "gIoU_samples_with_targets": round(float(np.mean([p["iou"] for p in nonempty])), 4),
        "no_target_accuracy": round(float(np.mean([p["pred_empty"] for p in empty])), 4) if empty else None,
        "no_target_samples": len(empty),
        "false_no_target_rate": round(float(np.mean([p["pred_empty"] for p in nonempty])), 4),
        "target_count_accuracy": round(float(np.mean([p["n_pred"] == p["n_gt"] for p in nonempty])), 4),
        "spearman_generated_length_vs_difficulty": round(spearman(lens, diff), 4),
        "exact_chain_match": round(float(np.mean([p["exact"] for p in per])), 4),
        "buckets": buckets,
        "families": families,
        "timing_ms_mean_cpu_1_thread": mean_t,
        "kv_cache_consistent": all(consistent),
        "protocol": "LISA gIoU/cIoU vs LISA-rasterised polygons, greedy decoding of the exported TorchScript "
                    "package (evaluate.PackageRuntime), CPU, 1 thread",
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--package", default=HERE)
    ap.add_argument("--heldout", default=os.path.join(HERE, "heldout"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--metrics", default=os.path.join(HERE, "metrics.json"))
    ap.add_argument("--training", default=None, help="JSON describing the training run, copied into metrics")
    args = ap.parse_args()
    metrics, reference_run = evaluate(args.package, args.heldout, args.limit)
    if args.training:
        with open(args.training) as f:
            metrics["training"] = json.load(f)
    metrics["targets"] = {"gIoU": 0.80, "no_target_accuracy": 0.9, "spearman": 0.6}
    with open(args.metrics, "w") as f:
        json.dump(metrics, f, indent=1)
    with open(os.path.join(os.path.dirname(args.metrics), "reference_run.json"), "w") as f:
        json.dump(reference_run, f, indent=1)
    print(json.dumps({k: v for k, v in metrics.items() if k not in ("families",)}, indent=1))


if __name__ == "__main__":
    main()
