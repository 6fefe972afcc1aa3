"""Trains the shapes model on freshly generated scenes (teacher forcing), one CPU thread, time-bounded.

Loss = CE(chain tokens) + 2 * BCE(masks) + 0.5 * dice(masks) + L1(boxes) + 0.5 * CE(cell attributes), the
last an auxiliary loss on the image tokens (see ShapesModel.cell_head; not exported). The learning rate follows
warm-up then cosine decay over the wall-clock budget, so a run always ends annealed. Checkpoints and the
loss log go to --out (ignored by git).

    /usr/bin/python3 models/shapes/train.py --minutes 55 --out models/shapes/out
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenes  # noqa: E402
from model import ShapesModel, count_parameters  # noqa: E402

MEAN = torch.tensor([123.675, 116.28, 103.53]).view(1, 3, 1, 1)
STD = torch.tensor([58.395, 57.12, 57.375]).view(1, 3, 1, 1)


def token_weights():
    """Loss weight 2 for the words that need perception (attributes, locations, counts), 1 otherwise."""
    perceptual = set(scenes.COLOURS) | set(scenes.KINDS) | set(scenes.SIZES) | set(scenes.NUMBERS)
    w = [2.0 if (t in perceptual or (t[0] in "xy" and t[1:].isdigit())) else 1.0 for t in scenes.vocabulary()]
    return torch.tensor(w)


TOKEN_WEIGHTS = token_weights()
VOCAB = scenes.vocabulary()
X_IDS = torch.tensor([VOCAB.index(f"x{i}") for i in range(8)])
Y_IDS = torch.tensor([VOCAB.index(f"y{i}") for i in range(8)])


def noise_locations(ids, loss_mask, p):
    """Replaces each location word (x0..x7, y0..y7) of the generated part of the INPUT by a random one with
    probability p (targets stay clean), so that the [SEG] hidden state and the mask decoder learn not to
    trust a wrongly generated location and look at the image instead."""
    if p <= 0:
        return ids
    out = ids.clone()
    gen = loss_mask.roll(1, dims=1) > 0          # input positions that hold generated tokens
    pick = gen & (torch.rand(ids.shape) < p)
    for table in (X_IDS, Y_IDS):
        hit = pick & torch.isin(ids, table)
        out[hit] = table[torch.randint(0, len(table), (int(hit.sum()),))]
    return out


def normalise(images_uint8: np.ndarray) -> torch.Tensor:
    """[B,H,W,3] uint8 RGB -> [B,3,H,W] float normalised with the package's mean/std."""
    x = torch.from_numpy(images_uint8).permute(0, 3, 1, 2).float()
    return (x - MEAN) / STD


class Batcher:
    """Builds padded training batches: n_images scenes x questions_per_image questions."""

    def __init__(self, seed: int, n_images: int, questions_per_image: int):
        self.rng = random.Random(seed)
        self.vocab = {w: i for i, w in enumerate(scenes.vocabulary())}
        self.n_images = n_images
        self.qpi = questions_per_image
        self.counter = seed * 1_000_000

    def encode(self, sample):
        prompt = ["<bos>"] + sample.question + (["<box>"] if sample.box_input is not None else [])
        ids = [self.vocab[w] for w in prompt + sample.chain + ["<eos>"]]
        return ids, len(prompt)

    @staticmethod
    def cell_labels(layout):
        """[64,3] int64 labels (colour, kind, size; 0 = no shape centred in the cell)."""
        lab = torch.zeros(64, 3, dtype=torch.long)
        colours, sizes = list(scenes.COLOURS), list(scenes.SIZES)
        for i, j, colour, kind, size in layout:
            lab[j * 8 + i] = torch.tensor([colours.index(colour) + 1, scenes.KINDS.index(kind) + 1,
                                           sizes.index(size) + 1])
        return lab

    def next(self):
        images, items, cells = [], [], []
        for i in range(self.n_images):
            self.counter += 1
            for s in scenes.make_scene_questions(self.rng, self.qpi, noise_seed=self.counter):
                items.append((i, s))
            images.append(items[-1][1].image)
            cells.append(self.cell_labels(items[-1][1].layout))
        t_max = max(len(self.encode(s)[0]) for _, s in items)
        n = len(items)
        ids = torch.zeros(n, t_max, dtype=torch.long)
        loss_mask = torch.zeros(n, t_max)
        box = torch.zeros(n, 4)
        has_box = torch.zeros(n)
        img_of_seq = torch.tensor([i for i, _ in items])
        seg_seq, seg_pos, masks, boxes = [], [], [], []
        for row, (_, s) in enumerate(items):
            seq, p_len = self.encode(s)
            ids[row, :len(seq)] = torch.tensor(seq)
            loss_mask[row, p_len - 1:len(seq) - 1] = 1.0   # logits at position t predict token t+1
            if s.box_input is not None:
                box[row] = torch.tensor(s.box_input) / scenes.SIZE
                has_box[row] = 1.0
            pos = [t for t, tok in enumerate(seq) if tok == self.vocab["[SEG]"]]
            assert len(pos) == len(s.masks)
            seg_seq += [row] * len(pos)
            seg_pos += pos
            masks += s.masks
            boxes += s.boxes
        batch = {
            "images": normalise(np.stack(images)), "cells": torch.stack(cells), "ids": ids,
            "loss_mask": loss_mask, "box": box,
            "has_box": has_box, "img_of_seq": img_of_seq, "seg_seq": torch.tensor(seg_seq, dtype=torch.long),
            "seg_pos": torch.tensor(seg_pos, dtype=torch.long),
            "masks": torch.from_numpy(np.stack(masks)).float() if masks else torch.zeros(0, 128, 128),
            "boxes": torch.tensor(boxes) / scenes.SIZE if boxes else torch.zeros(0, 4),
        }
        return batch


def dice_loss(logits, target):
    p = torch.sigmoid(logits).flatten(1)
    t = target.flatten(1)
    return (1 - (2 * (p * t).sum(1) + 1) / (p.sum(1) + t.sum(1) + 1)).mean()


def cell_loss(model, img_tokens, labels):
    """Auxiliary CE: every image token names the shape centred in its cell (colour, kind, size)."""
    logits = model.cell_head(img_tokens).split(list(model.CELL_CLASSES), dim=-1)
    return sum(F.cross_entropy(lg.flatten(0, 1), labels[..., k].flatten()) for k, lg in enumerate(logits)) / 3


def compute_losses(model, batch, loc_noise=0.0):
    feats = model.vision(batch["images"])
    img_tok_per_image = model.language.image_tokens(feats)
    image_cache = model.language.encode_image(img_tok_per_image)[:, :, batch["img_of_seq"]]
    ids = batch["ids"]
    inputs = noise_locations(ids, batch["loss_mask"], loc_noise)
    logits, hidden, _ = model.language(image_cache, inputs, batch["box"], batch["has_box"])
    targets = torch.roll(ids, -1, dims=1)
    ce = F.cross_entropy(logits.flatten(0, 1), targets.flatten(), reduction="none")
    ce = ce * TOKEN_WEIGHTS[targets.flatten()]
    lm = batch["loss_mask"].flatten()
    ce = (ce * lm).sum() / lm.sum()
    acc = ((logits.argmax(-1) == targets).float().flatten() * lm).sum() / lm.sum()
    out = {"ce": ce, "tok_acc": acc.detach(), "cell": cell_loss(model, img_tok_per_image, batch["cells"])}
    if batch["seg_seq"].numel():
        seg_h = hidden[batch["seg_seq"], batch["seg_pos"]]
        img_idx = batch["img_of_seq"][batch["seg_seq"]]
        mask_logits, boxes, _ = model.mask_decoder(feats, seg_h, img_idx)
        gt = batch["masks"]
        out["bce"] = F.binary_cross_entropy_with_logits(mask_logits, gt)
        out["dice"] = dice_loss(mask_logits, gt)
        out["box_l1"] = (boxes - batch["boxes"]).abs().mean()
        pred = mask_logits > 0
        inter = (pred & (gt > 0.5)).flatten(1).sum(1).float()
        union = (pred | (gt > 0.5)).flatten(1).sum(1).float()
        out["miou"] = (inter / union.clamp(min=1)).mean()
    else:
        zero = ce * 0
        out.update(bce=zero, dice=zero, box_l1=zero, miou=torch.tensor(0.0))
    out["loss"] = out["ce"] + 2.0 * out["bce"] + 0.5 * out["dice"] + out["box_l1"] + 0.5 * out["cell"]
    return out


def learning_rate(progress, base, warmup=0.03):
    if progress < warmup:
        return base * progress / warmup
    p = (progress - warmup) / (1 - warmup)
    return base * (0.03 + 0.97 * 0.5 * (1 + math.cos(math.pi * min(p, 1.0))))


def save(model, path, info):
    torch.save({"model": model.state_dict(), "vocab": scenes.vocabulary(), "info": info}, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=55.0)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--images", type=int, default=8)
    ap.add_argument("--questions", type=int, default=4)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--init", default=None, help="checkpoint to start from (a second training phase)")
    ap.add_argument("--loc-noise", type=float, default=0.0, help="probability of corrupting an input location word")
    ap.add_argument("--warmup", type=float, default=0.03, help="fraction of the budget spent warming up")
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    vocab = scenes.vocabulary()
    model = ShapesModel(len(vocab), box_token=vocab.index("<box>"))
    if args.init:
        model.load_state_dict(torch.load(args.init)["model"])
    print(f"parameters: {count_parameters(model)}", flush=True)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.98))
    batcher = Batcher(args.seed, args.images, args.questions)
    budget = args.minutes * 60
    start = time.time()
    log = open(os.path.join(args.out, "train_log.jsonl"), "w")
    step, last_save, running = 0, start, {}
    while True:
        progress = (time.time() - start) / budget
        if progress >= 1.0:
            break
        lr = learning_rate(progress, args.lr, args.warmup)
        for g in opt.param_groups:
            g["lr"] = lr
        batch = batcher.next()
        model.train()
        losses = compute_losses(model, batch, args.loc_noise)
        opt.zero_grad(set_to_none=True)
        losses["loss"].backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        for k, v in losses.items():
            running[k] = 0.95 * running.get(k, float(v)) + 0.05 * float(v)
        if step % 25 == 0:
            rec = {"step": step, "min": round((time.time() - start) / 60, 2), "lr": round(lr, 6),
                   **{k: round(v, 4) for k, v in running.items()}}
            log.write(json.dumps(rec) + "\n")
            log.flush()
            print(json.dumps(rec), flush=True)
        if time.time() - last_save > 300:
            save(model, os.path.join(args.out, "checkpoint.pt"), {"step": step})
            last_save = time.time()
    info = {"step": step, "minutes": round((time.time() - start) / 60, 2), "seed": args.seed, "init": args.init,
            "loc_noise": args.loc_noise, "lr": args.lr,
            "images_per_batch": args.images, "questions_per_image": args.questions, "final": running}
    save(model, os.path.join(args.out, "checkpoint.pt"), info)
    json.dump(info, open(os.path.join(args.out, "train_info.json"), "w"), indent=1)
    print("done", json.dumps(info), flush=True)


if __name__ == "__main__":
    main()
