"""Writes the small TorchScript fixtures tst_package uses to break a copy of the bundled package.

    /usr/bin/python3 tests/data/runtime/make_fixtures.py      (python3-torch 1.13, as the package)
"""
import os
from typing import Tuple

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))


class WrongShapeVision(nn.Module):
    """vision.pt stand-in: features with 32 channels instead of 64."""

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        return torch.zeros(1, 32, 64, 64, device=image.device)


class NanMaskDecoder(nn.Module):
    """mask_decoder.pt stand-in: NaN mask logits of the right shape."""

    def forward(self, features: torch.Tensor, seg_hidden: torch.Tensor
                ) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        k = seg_hidden.shape[0]
        nan = torch.full([k, 128, 128], float("nan"), device=features.device)
        return nan, torch.zeros(k, 4, device=features.device), torch.zeros(k, device=features.device)


def main():
    torch.set_num_threads(1)
    torch.jit.script(WrongShapeVision()).save(os.path.join(HERE, "fixture_wrong_shape_vision.pt"))
    torch.jit.script(NanMaskDecoder()).save(os.path.join(HERE, "fixture_nan_mask_decoder.pt"))


if __name__ == "__main__":
    main()
