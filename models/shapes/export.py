"""Exports a trained checkpoint as the model package read by the C++ runtime (LibTorch 1.13).

Writes into --package (default: this folder): vision.pt, language.pt (methods prefill and step),
mask_decoder.pt (TorchScript, torch.jit.script, CPU, float32), vocab.txt and model.json. The package
interface is documented in README.md.

    /usr/bin/python3 models/shapes/export.py --checkpoint models/shapes/out/checkpoint.pt
"""
import argparse
import json
import os
import sys
from typing import Tuple

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenes  # noqa: E402
from model import FEAT_SIZE, IMAGE_SIZE, LanguageModel, MaskDecoder, ShapesModel, count_parameters  # noqa: E402

MAX_PROMPT_TOKENS = 48
MAX_NEW_TOKENS = 144


class LanguageExport(nn.Module):
    """language.pt: prefill over image features + prompt, then one token per step() with a KV cache."""

    def __init__(self, lm: LanguageModel):
        super().__init__()
        self.lm = lm
        self.max_text = lm.max_text

    @torch.jit.export
    def prefill(self, features: torch.Tensor, input_ids: torch.Tensor, box: torch.Tensor, has_box: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        if input_ids.dim() != 2 or input_ids.shape[0] != 1:
            raise RuntimeError("language.prefill: input_ids must be [1,T] int64")
        if input_ids.shape[1] < 1 or input_ids.shape[1] > self.max_text:
            raise RuntimeError("language.prefill: input_ids length must be in [1, max_text]")
        image_cache = self.lm.encode_image(self.lm.image_tokens(features))
        return self.lm(image_cache, input_ids, box, has_box)

    @torch.jit.export
    def step(self, token: torch.Tensor, cache: torch.Tensor, position: int
             ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        if position < 0 or position >= self.max_text:
            raise RuntimeError("language.step: position out of range [0, max_text)")
        return self.lm.step(token, cache, position)

    def forward(self, features: torch.Tensor, input_ids: torch.Tensor, box: torch.Tensor, has_box: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        return self.prefill(features, input_ids, box, has_box)


class MaskDecoderExport(nn.Module):
    """mask_decoder.pt: (features [1,C,64,64], seg_hidden [K,D]) -> (mask logits [K,128,128], boxes, scores)."""

    def __init__(self, decoder: MaskDecoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, features: torch.Tensor, seg_hidden: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        k = seg_hidden.shape[0]
        if k == 0:
            empty = torch.zeros(0, device=features.device)
            size = self.decoder.image_size
            return empty.view(0, size, size), empty.view(0, 4), empty
        index = torch.zeros(k, dtype=torch.long, device=features.device)
        return self.decoder(features, seg_hidden, index)


def describe(lm: LanguageModel, vocab, parts) -> dict:
    return {
        "name": "shapes",
        "description": "Bundled reference model: synthetic scenes of coloured shapes, questions needing reasoning, "
                       "templated chains, trained on CPU (see README.md).",
        "format_version": 1,
        "modules": {
            "vision": {"file": "vision.pt", "inputs": {"image": "float32 [1,3,128,128]"},
                       "outputs": {"features": f"float32 [1,{parts['channels']},{FEAT_SIZE},{FEAT_SIZE}]"}},
            "language": {"file": "language.pt", "methods": {
                "prefill": {"inputs": {"features": "vision output", "input_ids": "int64 [1,T]",
                                       "box": "float32 [1,4] normalised xyxy", "has_box": "float32 [1]"},
                            "outputs": {"logits": "float32 [1,T,V]", "hidden": f"float32 [1,T,{lm.d}]",
                                        "cache": "cache"}},
                "step": {"inputs": {"token": "int64 [1,1]", "cache": "cache", "position": "int"},
                         "outputs": {"logits": "float32 [1,1,V]", "hidden": f"float32 [1,1,{lm.d}]",
                                     "cache": "cache"}}},
                "cache": {"type": "tensor", "dtype": "float32",
                          "shape": [lm.n_layers, 2, 1, lm.heads, "S", lm.d // lm.heads],
                          "S": f"{lm.n_img} image tokens + text tokens processed so far",
                          "opaque": True}},
            "mask_decoder": {"file": "mask_decoder.pt", "inputs": {"features": "vision output",
                                                                   "seg_hidden": f"float32 [K,{lm.d}]"},
                             "outputs": {"mask_logits": "float32 [K,128,128]",
                                         "boxes": "float32 [K,4] normalised xyxy", "scores": "float32 [K]"}},
        },
        "hidden_size": lm.d,
        "vocab_size": len(vocab),
        "input": {"width": IMAGE_SIZE, "height": IMAGE_SIZE, "channels": "RGB", "layout": "NCHW",
                  "resize": "longest_side_pad", "resize_rounding": "int(x * scale + 0.5)",
                  "pad": "bottom_right", "pad_value_after_normalisation": 0.0,
                  "mean": [123.675, 116.28, 103.53], "std": [58.395, 57.12, 57.375], "value_range": "0-255"},
        "tokenizer": {"type": "word", "file": "vocab.txt", "lowercase": True, "split": "whitespace",
                      "punctuation": list(scenes.PUNCT),
                      "punctuation_rule": "each punctuation character is its own token",
                      "unknown": "<unk>", "detokenize": "join with spaces, no space before punctuation"},
        "special_tokens": {"pad": "<pad>", "bos": "<bos>", "eos": "<eos>", "unk": "<unk>", "seg": "[SEG]",
                           "think_start": "<think>", "think_end": "</think>", "no_target": "<none>",
                           "box": "<box>"},
        "special_token_ids": {t: vocab.index(t) for t in scenes.SPECIAL_TOKENS},
        "prompt_template": {"text": "<bos> {question tokens} [<box> if a box is given]",
                            "generation_starts_with": "<think>",
                            "answer": "<think> ... </think> then per target '<size> <colour> <kind> at xI yJ [SEG]' "
                                      "left to right, or '<none>'; then <eos>"},
        "decoding": {"default": "greedy", "stop_tokens": ["<eos>"], "seg_hidden": "hidden returned by the step() "
                     "call that consumed the [SEG] token"},
        "limits": {"max_prompt_tokens": MAX_PROMPT_TOKENS, "max_new_tokens": MAX_NEW_TOKENS,
                   "max_text_positions": lm.max_text, "max_targets": scenes.MAX_TARGETS},
        "optional_outputs": {"boxes": True, "scores": True, "region_input": True},
        "mask_threshold": {"logit_greater_than": 0.0},
        "parameters": parts["parameters"],
    }


def export(checkpoint: str, package: str) -> None:
    torch.set_num_threads(1)
    ck = torch.load(checkpoint, map_location="cpu")
    vocab = ck["vocab"]
    model = ShapesModel(len(vocab), box_token=vocab.index("<box>"))
    model.load_state_dict(ck["model"])
    model.eval()
    modules = {"vision.pt": model.vision, "language.pt": LanguageExport(model.language),
               "mask_decoder.pt": MaskDecoderExport(model.mask_decoder)}
    for name, module in modules.items():
        scripted = torch.jit.script(module.eval())  # not frozen: frozen constants could not move to CUDA
        scripted.save(os.path.join(package, name))
    with open(os.path.join(package, "vocab.txt"), "w") as f:
        f.write("\n".join(vocab) + "\n")
    parts = {"channels": model.vision.out[1].out_channels,
             "parameters": {"vision": count_parameters(model.vision), "language": count_parameters(model.language),
                            "mask_decoder": count_parameters(model.mask_decoder)}}
    with open(os.path.join(package, "model.json"), "w") as f:
        json.dump(describe(model.language, vocab, parts), f, indent=2)
    print("exported to", package, json.dumps(parts["parameters"]))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default=os.path.join(here, "out", "checkpoint.pt"))
    ap.add_argument("--package", default=here)
    args = ap.parse_args()
    export(args.checkpoint, args.package)


if __name__ == "__main__":
    main()
