"""The shapes reasoning-segmentation model: CNN encoder, small causal transformer, [SEG] mask decoder.

- VisionEncoder: image [B,3,128,128] (normalised) -> features [B,C,64,64] (a small FPN: a stride-16
  trunk whose semantics are brought back to stride 2 through lateral 1x1 convolutions).
- LanguageModel: 64 image tokens (features average-pooled to 8x8) form a bidirectional prefix (run once
  per image, its keys/values start the cache), followed by causal word tokens. A `<box>` token gets an
  MLP embedding of the input box added. Exposes a
  KV-cached prefill/step pair used by the exported runtime and a batched forward for training.
- MaskDecoder (LISA/PixelLM-like): the [SEG] hidden state -> query; mask logits from a per-pixel MLP over
  (features, pixel position, query, position relative to the predicted box) plus a dot product of the
  query with the features; box (normalised xyxy) from an MLP of the same hidden state (NExT-Chat-like).

All modules are written to be `torch.jit.script`-able with torch 1.13.
"""
import math
from typing import List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

IMAGE_SIZE = 128
FEAT_SIZE = 64
TOKEN_GRID = 8


def conv_bn(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class VisionEncoder(nn.Module):
    def __init__(self, channels: int = 64):
        super().__init__()
        self.s2 = nn.Sequential(conv_bn(3, 24, 2), conv_bn(24, 32))
        self.s4 = nn.Sequential(conv_bn(32, 48, 2), conv_bn(48, 48))
        self.s8 = nn.Sequential(conv_bn(48, 96, 2), conv_bn(96, 96))
        self.s16 = nn.Sequential(conv_bn(96, 128, 2), conv_bn(128, 128))
        self.lat16 = nn.Conv2d(128, channels, 1)
        self.lat8 = nn.Conv2d(96, channels, 1)
        self.lat4 = nn.Conv2d(48, channels, 1)
        self.lat2 = nn.Conv2d(32, channels, 1)
        self.out = nn.Sequential(nn.ReLU(), nn.Conv2d(channels, channels, 1))

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        f2 = self.s2(image)
        f4 = self.s4(f2)
        f8 = self.s8(f4)
        f16 = self.s16(f8)
        t = self.lat16(f16)
        t = F.interpolate(t, scale_factor=2.0, mode="nearest") + self.lat8(f8)
        t = F.interpolate(t, scale_factor=2.0, mode="nearest") + self.lat4(f4)
        t = F.interpolate(t, scale_factor=2.0, mode="bilinear", align_corners=False) + self.lat2(f2)
        return self.out(t)


class Block(nn.Module):
    """Pre-norm transformer block whose attention can read and extend a KV cache."""

    def __init__(self, d: int, heads: int, ff: int):
        super().__init__()
        self.heads = heads
        self.dh = d // heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, ff), nn.GELU(), nn.Linear(ff, d))

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.dh).transpose(1, 2)  # [B,H,T,dh]

    def forward(self, x: torch.Tensor, past_k: torch.Tensor, past_v: torch.Tensor, mask: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """x [B,T,d]; past_k/v [B,H,S,dh] (S may be 0); mask [T,S+T] additive. Returns x, k, v (S+T long)."""
        q, k, v = self.qkv(self.ln1(x)).chunk(3, dim=-1)
        q, k, v = self._split(q), self._split(k), self._split(v)
        k = torch.cat([past_k, k], dim=2)
        v = torch.cat([past_v, v], dim=2)
        att = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.dh) + mask
        y = torch.matmul(att.softmax(dim=-1), v)
        b, h, t, dh = y.shape
        x = x + self.proj(y.transpose(1, 2).reshape(b, t, h * dh))
        x = x + self.mlp(self.ln2(x))
        return x, k, v


class LanguageModel(nn.Module):
    def __init__(self, vocab_size: int, feat_channels: int = 64, d: int = 128, layers: int = 3, heads: int = 4,
                 ff: int = 384, max_text: int = 192, box_token: int = 8):
        super().__init__()
        self.d = d
        self.heads = heads
        self.n_layers = layers
        self.max_text = max_text
        self.box_token = box_token
        self.token_grid = TOKEN_GRID
        self.n_img = TOKEN_GRID * TOKEN_GRID
        self.img_proj = nn.Sequential(nn.Linear(feat_channels, d), nn.GELU(), nn.Linear(d, d))
        self.img_col = nn.Parameter(torch.randn(1, TOKEN_GRID, d) * 0.02)  # factorised 2-D position
        self.img_row = nn.Parameter(torch.randn(TOKEN_GRID, 1, d) * 0.02)
        self.tok_emb = nn.Embedding(vocab_size, d)
        self.txt_pos = nn.Parameter(torch.randn(max_text, d) * 0.02)
        self.box_mlp = nn.Sequential(nn.Linear(4, d), nn.GELU(), nn.Linear(d, d))
        self.blocks = nn.ModuleList([Block(d, heads, ff) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab_size)

    def image_tokens(self, features: torch.Tensor) -> torch.Tensor:
        pooled = F.adaptive_avg_pool2d(features, self.token_grid).flatten(2).transpose(1, 2)  # [B,64,C]
        pos = (self.img_row + self.img_col).view(self.n_img, self.d)  # token y*8+x gets row[y] + col[x]
        return self.img_proj(pooled) + pos

    def text_embed(self, ids: torch.Tensor, start: int, box: torch.Tensor, has_box: torch.Tensor) -> torch.Tensor:
        x = self.tok_emb(ids) + self.txt_pos[start:start + ids.shape[1]]
        is_box = (ids == self.box_token).to(x.dtype) * has_box.view(-1, 1)
        return x + is_box.unsqueeze(-1) * self.box_mlp(box).unsqueeze(1)

    def text_mask(self, t_text: int, past: int, device: torch.device) -> torch.Tensor:
        """Additive mask [T, past+T]: every text token sees the whole cache (image prefix and earlier text)
        and the text tokens up to itself."""
        allowed = torch.ones(t_text, t_text, dtype=torch.bool, device=device).tril()
        allowed = torch.cat([torch.ones(t_text, past, dtype=torch.bool, device=device), allowed], dim=1)
        zero = torch.zeros(t_text, past + t_text, device=device)
        return zero.masked_fill(~allowed, float("-inf"))

    def run_blocks(self, x: torch.Tensor, cache: torch.Tensor, mask: torch.Tensor
                   ) -> Tuple[torch.Tensor, torch.Tensor]:
        """cache [L,2,B,H,S,dh] -> (x, new cache [L,2,B,H,S+T,dh])."""
        ks: List[torch.Tensor] = []
        vs: List[torch.Tensor] = []
        for i, block in enumerate(self.blocks):
            x, k, v = block(x, cache[i, 0], cache[i, 1], mask)
            ks.append(k)
            vs.append(v)
        return self.ln_f(x), torch.stack([torch.stack(ks), torch.stack(vs)], dim=1)

    def empty_cache(self, batch: int, device: torch.device) -> torch.Tensor:
        return torch.zeros(self.n_layers, 2, batch, self.heads, 0, self.d // self.heads, device=device)

    def encode_image(self, img_tokens: torch.Tensor) -> torch.Tensor:
        """Runs the bidirectional image prefix [B,64,d] -> cache [L,2,B,H,64,dh]. The prefix never sees
        text, so one pass serves every question about the image."""
        mask = torch.zeros(self.n_img, self.n_img, device=img_tokens.device)
        _, cache = self.run_blocks(img_tokens, self.empty_cache(img_tokens.shape[0], img_tokens.device), mask)
        return cache

    def forward(self, image_cache: torch.Tensor, ids: torch.Tensor, box: torch.Tensor, has_box: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Text pass after the image prefix. image_cache [L,2,B,H,64,dh], ids [B,T]
        -> logits [B,T,V], hidden [B,T,d], cache [L,2,B,H,64+T,dh]."""
        x = self.text_embed(ids, 0, box, has_box)
        mask = self.text_mask(ids.shape[1], image_cache.shape[4], ids.device)
        h, cache = self.run_blocks(x, image_cache, mask)
        return self.head(h), h, cache

    def step(self, token: torch.Tensor, cache: torch.Tensor, position: int
             ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """One token [B,1] at text position `position` -> logits [B,1,V], hidden [B,1,d], cache one longer."""
        dummy_box = torch.zeros(token.shape[0], 4, device=token.device)
        x = self.text_embed(token, position, dummy_box, torch.zeros(token.shape[0], device=token.device))
        mask = torch.zeros(1, cache.shape[4] + 1, device=token.device)
        h, cache = self.run_blocks(x, cache, mask)
        return self.head(h), h, cache


def mlp(d_in: int, d_hidden: int, d_out: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(d_in, d_hidden), nn.ReLU(), nn.Linear(d_hidden, d_out))


class MaskDecoder(nn.Module):
    def __init__(self, feat_channels: int = 64, d: int = 128, hidden: int = 32, n_freq: int = 4):
        super().__init__()
        self.hidden = hidden
        self.feat_size = FEAT_SIZE
        self.image_size = IMAGE_SIZE
        self.query = mlp(d, d, hidden)
        self.dot_query = mlp(d, d, hidden)
        self.box_head = mlp(d, d, 4)
        self.feat_proj = nn.Conv2d(feat_channels, hidden, 1)
        self.feat_dot = nn.Conv2d(feat_channels, hidden, 1)
        self.pos_proj = nn.Conv2d(4 * n_freq, hidden, 1)
        self.box_proj = nn.Conv2d(4, hidden, 1, bias=False)
        self.out = nn.Conv2d(hidden, 1, 1)
        self.register_buffer("pos", self._fourier(n_freq), persistent=False)
        coords = (torch.arange(FEAT_SIZE, dtype=torch.float32) + 0.5) / FEAT_SIZE
        self.register_buffer("coords", coords, persistent=False)

    @staticmethod
    def _fourier(n_freq: int) -> torch.Tensor:
        c = (torch.arange(FEAT_SIZE, dtype=torch.float32) + 0.5) / FEAT_SIZE
        yy, xx = torch.meshgrid(c, c, indexing="ij")
        maps = []
        for f in range(n_freq):
            w = math.pi * (2 ** f)
            maps += [torch.sin(w * xx), torch.cos(w * xx), torch.sin(w * yy), torch.cos(w * yy)]
        return torch.stack(maps).unsqueeze(0)  # [1,4F,64,64]

    def box_features(self, boxes: torch.Tensor) -> torch.Tensor:
        """Signed distances (x10, clipped) of every pixel to the four sides of each box: [K,4,64,64]."""
        x = self.coords.view(1, 1, -1)
        y = self.coords.view(1, -1, 1)
        k = boxes.shape[0]
        s = self.feat_size
        d = [(x - boxes[:, 0].view(-1, 1, 1)).expand(k, s, s), (boxes[:, 2].view(-1, 1, 1) - x).expand(k, s, s),
             (y - boxes[:, 1].view(-1, 1, 1)).expand(k, s, s), (boxes[:, 3].view(-1, 1, 1) - y).expand(k, s, s)]
        return (torch.stack(d, dim=1) * 10.0).clamp(-2.0, 2.0)

    def forward(self, features: torch.Tensor, seg_hidden: torch.Tensor, image_index: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """features [B,C,64,64], seg_hidden [K,d], image_index [K] -> masks [K,128,128], boxes [K,4], scores [K]."""
        boxes = torch.sigmoid(self.box_head(seg_hidden))
        base = (self.feat_proj(features) + self.pos_proj(self.pos))[image_index]       # [K,h,64,64]
        q = self.query(seg_hidden).view(-1, self.hidden, 1, 1)
        h = F.relu(base + q + self.box_proj(self.box_features(boxes.detach())))
        dot = (self.feat_dot(features)[image_index] * self.dot_query(seg_hidden).view(-1, self.hidden, 1, 1))
        logits = self.out(h) + dot.sum(dim=1, keepdim=True) / math.sqrt(self.hidden)
        logits = F.interpolate(logits, size=(self.image_size, self.image_size), mode="bilinear", align_corners=False)
        logits = logits.squeeze(1)
        prob = torch.sigmoid(logits)
        on = (logits > 0).to(prob.dtype)
        area = on.flatten(1).sum(1)
        mean_on = (prob * on).flatten(1).sum(1) / area.clamp(min=1.0)
        scores = torch.where(area > 0, mean_on, prob.flatten(1).max(1)[0])
        return logits, boxes, scores


class ShapesModel(nn.Module):
    """The three parts together, for training. `cell_head` is a training-only auxiliary head: from each
    image token it predicts colour / kind / size of the shape centred in that 16-px cell (or none)."""

    CELL_CLASSES = (7, 7, 3)

    def __init__(self, vocab_size: int, box_token: int):
        super().__init__()
        self.vision = VisionEncoder()
        self.language = LanguageModel(vocab_size, box_token=box_token)
        self.mask_decoder = MaskDecoder()
        self.cell_head = nn.Linear(self.language.d, sum(self.CELL_CLASSES))


def count_parameters(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
