# stand-ins for the three timm helpers tiny_vit_sam.py imports (only used at construction / training)
import torch.nn as nn
class DropPath(nn.Module):
    def __init__(self, drop_prob=None):
        super().__init__(); self.drop_prob = drop_prob
    def forward(self, x):
        return x
def to_2tuple(x):
    return (x, x) if not isinstance(x, tuple) else x
def trunc_normal_(t, std=1.0):
    return nn.init.normal_(t, std=std)
