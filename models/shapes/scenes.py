"""Seeded generator of synthetic reasoning-segmentation samples.

A scene is a 128x128 RGB image of 2-10 coloured shapes (circle, square, triangle, ring, star, cross in
six colours, small or large). A question about the scene needs one or more reasoning steps (attribute
filters, negation, superlatives, comparison, spatial relations, counting with a branch, same-as and box
input). Each sample carries a templated reasoning chain (word tokens) whose length grows with the number
of steps, a difficulty 1-10, and one visible mask + box per target (targets ordered left to right).

Everything is a pure function of a `random.Random`, so a seed reproduces a sample exactly.
"""
import math
import random
from dataclasses import dataclass, field

import cv2
import numpy as np

SIZE = 128
GRID = 16  # cell size of the x0..x7 / y0..y7 location words
COLOURS = {
    "red": (220, 40, 40), "green": (40, 165, 60), "blue": (40, 80, 220),
    "yellow": (235, 200, 30), "purple": (150, 60, 190), "orange": (245, 135, 20),
}
KINDS = ["circle", "square", "triangle", "ring", "star", "cross"]
PLURAL = {"circle": "circles", "square": "squares", "triangle": "triangles", "ring": "rings",
          "star": "stars", "cross": "crosses", "shape": "shapes"}
SIZES = {"small": (7.0, 10.5), "large": (15.0, 21.0)}
NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
MAX_TARGETS = 6
MAX_CHAIN_TOKENS = 110  # generated tokens before <eos>; longer questions are re-drawn
SIZE_MARGIN = 1.25  # radius ratio needed to call one shape bigger than another
POS_MARGIN = 6.0    # pixels needed to call one shape left of / above another

SPECIAL_TOKENS = ["<pad>", "<bos>", "<eos>", "<unk>", "[SEG]", "<think>", "</think>", "<none>", "<box>"]


@dataclass
class Shape:
    kind: str
    colour: str
    size: str
    cx: float
    cy: float
    r: float
    full: np.ndarray = field(repr=False, default=None)     # bool mask without occlusion
    visible: np.ndarray = field(repr=False, default=None)  # bool mask after later shapes are painted

    def cell(self):
        return int(self.cx) // GRID, int(self.cy) // GRID

    def mention(self):
        i, j = self.cell()
        return [self.size, self.colour, self.kind, "at", f"x{i}", f"y{j}"]

    def box(self):
        ys, xs = np.nonzero(self.visible)
        return [float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)]


@dataclass
class Sample:
    image: np.ndarray          # uint8 HxWx3 RGB
    question: list             # word tokens
    chain: list                # generated tokens: <think> ... </think> answer (no <eos>)
    masks: list                # bool HxW per target, left to right
    boxes: list                # [x1,y1,x2,y2] pixels per target
    difficulty: float
    family: str
    is_sentence: bool
    box_input: list = None     # [x1,y1,x2,y2] pixels or None
    layout: list = None        # (cell x, cell y, colour, kind, size) of every shape in the scene


# ----------------------------------------------------------------------------------------------- drawing

def _polygon(cx, cy, radii, start_angle, count):
    pts = []
    for k in range(count):
        a = start_angle + 2 * math.pi * k / count
        rad = radii[k % len(radii)]
        pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a)))
    return np.round(np.array(pts)).astype(np.int32)


def shape_mask(kind, cx, cy, r):
    """Boolean mask of one shape whose outer extent is about r pixels from its centre."""
    m = np.zeros((SIZE, SIZE), np.uint8)
    c = (int(round(cx)), int(round(cy)))
    if kind == "circle":
        cv2.circle(m, c, int(round(r)), 1, -1)
    elif kind == "ring":
        cv2.circle(m, c, int(round(r)), 1, -1)
        cv2.circle(m, c, max(2, int(round(r * 0.5))), 0, -1)
    elif kind == "square":
        h = r * 0.85
        cv2.rectangle(m, (int(round(cx - h)), int(round(cy - h))), (int(round(cx + h)), int(round(cy + h))), 1, -1)
    elif kind == "triangle":
        cv2.fillPoly(m, [_polygon(cx, cy + r * 0.2, [r * 1.1], -math.pi / 2, 3)], 1)
    elif kind == "star":
        cv2.fillPoly(m, [_polygon(cx, cy, [r * 1.05, r * 0.45], -math.pi / 2, 10)], 1)
    elif kind == "cross":
        w = r * 0.33
        cv2.rectangle(m, (int(round(cx - r)), int(round(cy - w))), (int(round(cx + r)), int(round(cy + w))), 1, -1)
        cv2.rectangle(m, (int(round(cx - w)), int(round(cy - r))), (int(round(cx + w)), int(round(cy + r))), 1, -1)
    return m.astype(bool)


def _background(rng):
    base = np.array([rng.randint(195, 245) for _ in range(3)], np.float32)
    img = np.ones((SIZE, SIZE, 3), np.float32) * base
    return img


def _place_shapes(rng, n):
    shapes, cells = [], set()
    for _ in range(n * 30):
        if len(shapes) == n:
            break
        size = rng.choice(["small", "large"])
        r = rng.uniform(*SIZES[size])
        cx, cy = rng.uniform(r + 1, SIZE - r - 2), rng.uniform(r + 1, SIZE - r - 2)
        s = Shape(rng.choice(KINDS), rng.choice(list(COLOURS)), size, cx, cy, r)
        if s.cell() in cells:
            continue
        # overlap is allowed, but centres keep some distance so that every shape stays visible
        if any(math.hypot(cx - o.cx, cy - o.cy) < 0.75 * (r + o.r) for o in shapes):
            continue
        cells.add(s.cell())
        shapes.append(s)
    return shapes


def render_scene(rng, n_min=2, n_max=10):
    """Draws a scene; returns (uint8 RGB image, shapes with visible masks) or None if a shape is hidden."""
    shapes = _place_shapes(rng, rng.randint(n_min, n_max))
    if len(shapes) < n_min:
        return None
    img = _background(rng)
    covered = np.zeros((SIZE, SIZE), bool)
    for s in reversed(shapes):           # paint back to front so earlier shapes are on top
        s.full = shape_mask(s.kind, s.cx, s.cy, s.r)
        s.visible = s.full & ~covered
        covered |= s.full
    for s in reversed(shapes):
        img[s.visible] = np.array(COLOURS[s.colour], np.float32)
    for s in shapes:
        if s.visible.sum() < 0.6 * s.full.sum() or s.visible.sum() < 30:
            return None
    return img.clip(0, 255).astype(np.uint8), shapes


def add_noise(img, seed):
    """Photometric noise + JPEG round trip so the model does not overfit to perfectly flat colours."""
    nrng = np.random.default_rng(seed)
    out = img.astype(np.float32) + nrng.normal(0, 3.0, img.shape)
    out = out.clip(0, 255).astype(np.uint8)
    quality = int(nrng.integers(80, 97))
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(out, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)


# ------------------------------------------------------------------------------------------ descriptions

@dataclass
class Filter:
    """A conjunction of attribute constraints; None means 'any'."""
    size: str = None
    colour: str = None
    kind: str = None

    def matches(self, s):
        return ((self.size is None or s.size == self.size) and (self.colour is None or s.colour == self.colour)
                and (self.kind is None or s.kind == self.kind))

    def n_attrs(self):
        return sum(v is not None for v in (self.size, self.colour, self.kind))

    def words(self, plural=True):
        noun = self.kind or "shape"
        w = [x for x in (self.size, self.colour) if x is not None]
        return w + [PLURAL[noun] if plural else noun]


def random_filter(rng, shapes, n_attrs, from_scene=True):
    """A filter with n_attrs attributes, taken from a shape in the scene (or anywhere)."""
    if from_scene:
        ref = rng.choice(shapes)
        vals = {"size": ref.size, "colour": ref.colour, "kind": ref.kind}
    else:
        vals = {"size": rng.choice(list(SIZES)), "colour": rng.choice(list(COLOURS)), "kind": rng.choice(KINDS)}
    keys = rng.sample(["size", "colour", "kind"], n_attrs)
    return Filter(**{k: vals[k] for k in keys})


def unique_ref(rng, shapes):
    """A shape that a colour+kind (or size+colour+kind) description identifies uniquely, with that filter."""
    for s in rng.sample(shapes, len(shapes)):
        f = Filter(colour=s.colour, kind=s.kind)
        if sum(f.matches(o) for o in shapes) == 1:
            return s, f
        f = Filter(size=s.size, colour=s.colour, kind=s.kind)
        if sum(f.matches(o) for o in shapes) == 1:
            return s, f
    return None, None


def mentions(shapes):
    out = []
    for k, s in enumerate(shapes):
        if k:
            out.append(",")
        out += s.mention()
    return out


def left_to_right(shapes):
    return sorted(shapes, key=lambda s: (s.cx, s.cy))


# -------------------------------------------------------------------------------------------- questions
# Each family returns (question words, reasoning words, targets, steps, is_sentence) or None if the
# question would be ambiguous. Reasoning words are the content of <think> ... </think>.

VERBS = [["segment", "the"], ["find", "the"], ["show", "me", "the"], ["highlight", "the"], ["where", "are", "the"]]


def _ask(rng, words, singular=False):
    v = rng.choice(VERBS)
    if singular and v[0] == "where":
        v = ["where", "is", "the"]
    q = v + words
    return q + (["?"] if v[0] == "where" else ["."])


def fam_filter(rng, shapes):
    n = rng.choice([1, 1, 2, 2, 3])
    f = random_filter(rng, shapes, n, from_scene=rng.random() < 0.8)
    targets = [s for s in shapes if f.matches(s)]
    think = ["i", "look", "for", "the"] + f.words() + ["."]
    if not targets:
        think += ["there", "are", "none", "."]
    return _ask(rng, f.words()), think, targets, n, False


def fam_negation(rng, shapes):
    base = random_filter(rng, shapes, rng.choice([0, 0, 1]))
    attr = rng.choice(["colour", "kind"] if base.kind is None else ["colour"])
    if base.n_attrs() and getattr(base, attr) is not None:
        return None
    value = rng.choice(list(COLOURS) if attr == "colour" else KINDS)
    cand = [s for s in shapes if base.matches(s)]
    targets = [s for s in cand if getattr(s, attr) != value]
    excl = [value] if attr == "colour" else [PLURAL[value]]
    q = _ask(rng, base.words() + ["that", "are", "not"] + excl)
    think = ["i", "look", "for", "the"] + base.words() + [".", "i", "remove", "the"] + excl + ["."]
    if not targets:
        think += ["there", "are", "none", "."]
    return q, think, targets, 2 + base.n_attrs(), True


SUPERLATIVES = {
    "largest": (lambda s: s.r, "r"), "smallest": (lambda s: -s.r, "r"),
    "leftmost": (lambda s: -s.cx, "p"), "rightmost": (lambda s: s.cx, "p"),
    "topmost": (lambda s: -s.cy, "p"), "lowest": (lambda s: s.cy, "p"),
}


def _superlative_pick(word, cand):
    """The unique extreme candidate, or False when the top two are too close to tell apart."""
    key, kind = SUPERLATIVES[word]
    ranked = sorted(cand, key=key, reverse=True)
    if len(ranked) >= 2:
        a, b = key(ranked[0]), key(ranked[1])
        if kind == "r" and max(abs(a), abs(b)) < SIZE_MARGIN * min(abs(a), abs(b)):
            return False
        if kind == "p" and a - b < POS_MARGIN:
            return False
    return ranked[0]


def fam_superlative(rng, shapes):
    word = rng.choice(list(SUPERLATIVES))
    f = random_filter(rng, shapes, rng.choice([0, 1, 1, 2]), from_scene=rng.random() < 0.9)
    cand = left_to_right([s for s in shapes if f.matches(s)])
    if len(cand) > 6:
        return None
    q = _ask(rng, [word] + f.words(plural=False), singular=True)
    think = ["i", "look", "for", "the"] + f.words() + [".", "candidates", ":"]
    if not cand:
        return q, think + ["none", "."], [], 2 + f.n_attrs(), True
    steps = 2 + f.n_attrs() + 0.5 * (len(cand) - 1)
    pick = _superlative_pick(word, cand)
    if pick is False:
        return None
    think += mentions(cand) + [".", "the", word, "is", "the"] + pick.mention() + ["."]
    return q, think, [pick], steps, True


def fam_compare(rng, shapes):
    ref, rf = unique_ref(rng, shapes)
    if ref is None:
        return None
    word = rng.choice(["bigger", "smaller"])
    f = random_filter(rng, shapes, rng.choice([0, 0, 1]))
    if f.kind is not None or f.size is not None:
        f = Filter(colour=f.colour)
    others = [s for s in shapes if s is not ref and f.matches(s)]
    if any(1 / SIZE_MARGIN < s.r / ref.r < SIZE_MARGIN for s in others):
        return None
    targets = [s for s in others if (s.r > ref.r) == (word == "bigger")]
    q = _ask(rng, f.words() + [word, "than", "the"] + rf.words(plural=False))
    think = (["first", "i", "find", "the"] + rf.words(plural=False) + [":", "it", "is", "the"] + ref.mention()
             + [".", "then", "i", "look", "for", "the"] + f.words() + [word, "than", "it", "."])
    think += (mentions(left_to_right(targets)) + [".", ] if targets else ["there", "are", "none", "."])
    return q, think, targets, 3 + f.n_attrs(), True


RELATIONS = {
    "left": (["left", "of"], lambda s, r: r.cx - s.cx),
    "right": (["right", "of"], lambda s, r: s.cx - r.cx),
    "above": (["above"], lambda s, r: r.cy - s.cy),
    "below": (["below"], lambda s, r: s.cy - r.cy),
}


def fam_spatial(rng, shapes):
    ref, rf = unique_ref(rng, shapes)
    if ref is None:
        return None
    rel_words, rel = RELATIONS[rng.choice(list(RELATIONS))]
    f = random_filter(rng, shapes, rng.choice([0, 1, 1]))
    cand = [s for s in shapes if s is not ref and f.matches(s)]
    if any(abs(rel(s, ref)) < POS_MARGIN for s in cand):
        return None
    targets = [s for s in cand if rel(s, ref) > 0]
    q = _ask(rng, f.words() + rel_words + ["the"] + rf.words(plural=False))
    think = (["first", "i", "find", "the"] + rf.words(plural=False) + [":", "it", "is", "the"] + ref.mention()
             + [".", "then", "i", "look", "for", "the"] + f.words() + rel_words + ["it", "."])
    think += (mentions(left_to_right(targets)) + ["."] if targets else ["there", "are", "none", "."])
    return q, think, targets, 3 + f.n_attrs(), True


def fam_same_as(rng, shapes):
    ref, rf = unique_ref(rng, shapes)
    if ref is None:
        return None
    attr = rng.choice(["colour", "kind"])
    value = getattr(ref, attr)
    targets = [s for s in shapes if s is not ref and getattr(s, attr) == value]
    q = _ask(rng, ["shapes", "with", "the", "same", attr, "as", "the"] + rf.words(plural=False))
    look = [value, "shapes"] if attr == "colour" else [PLURAL[value]]
    think = (["first", "i", "find", "the"] + rf.words(plural=False) + [":", "it", "is", "the"] + ref.mention()
             + [".", "its", attr, "is", value, ".", "so", "i", "look", "for", "other"] + look + ["."])
    if not targets:
        think += ["there", "are", "none", "."]
    return q, think, targets, 3, True


def fam_box(rng, shapes):
    ref = rng.choice(shapes)
    x1, y1, x2, y2 = ref.box()
    j = lambda: rng.uniform(-2, 2)
    box = [max(0.0, x1 + j()), max(0.0, y1 + j()), min(SIZE, x2 + j()), min(SIZE, y2 + j())]
    think = ["the", "box", "holds", "the"] + ref.mention() + ["."]
    if rng.random() < 0.35:
        return ["segment", "the", "shape", "in", "this", "box", "."], think, [ref], 1, False, box
    attr = rng.choice(["colour", "kind"])
    value = getattr(ref, attr)
    targets = [s for s in shapes if getattr(s, attr) == value]
    q = ["segment", "the", "shape", "in", "this", "box", "and", "all", "shapes", "of", "the", "same", attr, "."]
    look = [value, "shapes"] if attr == "colour" else [PLURAL[value]]
    think += ["its", attr, "is", value, ".", "so", "i", "look", "for", "all"] + look + ["."]
    return q, think, targets, 3, True, box


SIMPLE = [fam_filter, fam_negation, fam_superlative, fam_spatial, fam_compare, fam_same_as]


def fam_count(rng, shapes):
    cond = random_filter(rng, shapes, 1, from_scene=rng.random() < 0.8)
    m = sum(cond.matches(s) for s in shapes)
    n = rng.choice([max(0, m - 1), m, m + 1] if rng.random() < 0.7 else [0, 1, 2, 3])
    if n > 10:
        return None
    # each branch is itself a question of a simpler family (easy branches most of the time)
    branches = []
    for _ in range(2):
        fam = rng.choice([fam_filter, fam_filter, fam_negation, fam_superlative, fam_spatial, fam_same_as])
        b = fam(rng, shapes)
        if b is None:
            return None
        branches.append(b)
    (qa, ta, tga, sa, _), (qb, tb, tgb, sb, _) = branches
    yes = m > n
    strip = lambda q: q[2:-1] if q[0] == "where" or q[1] == "me" else q[1:-1]
    q = (["if", "there", "are", "more", "than", NUMBERS[n]] + cond.words() + [",", "segment"] + strip(qa)
         + [",", "otherwise"] + strip(qb) + ["."])
    listed = left_to_right([s for s in shapes if cond.matches(s)])
    if m > 5:
        return None
    think = ["i", "count", "the"] + cond.words() + [":"] + (mentions(listed) if listed else ["none"])
    think += [".", "there", "are", NUMBERS[m], "."]
    think += [NUMBERS[m], "is"] + ([] if yes else ["not"]) + ["more", "than", NUMBERS[n], ".", "so", "i", "do", "the"]
    think += (["first", "part", "."] if yes else ["second", "part", "."]) + (ta if yes else tb)
    targets, steps = (tga, sa) if yes else (tgb, sb)
    return q, think, targets, 3 + steps, True


FAMILIES = [(fam_filter, 3), (fam_negation, 1.5), (fam_superlative, 2), (fam_spatial, 2), (fam_compare, 3),
            (fam_same_as, 1.5), (fam_box, 1.5), (fam_count, 2.5)]


def difficulty_of(steps, n_targets, n_shapes):
    d = steps + 0.5 * min(max(n_targets - 1, 0), 4) + (0.5 if n_shapes >= 8 else 0.0)
    return float(min(10.0, max(1.0, d)))


def answer_tokens(targets):
    if not targets:
        return ["<none>"]
    out = []
    for s in targets:
        out += s.mention() + ["[SEG]"]
    return out


def make_question(rng, shapes, want_empty):
    """Samples questions until one has an empty (or non-empty) target set, as asked."""
    fams, weights = zip(*FAMILIES)
    for _ in range(60):
        fam = rng.choices(fams, weights)[0]
        res = fam(rng, shapes)
        if res is None:
            continue
        q, think, targets, steps, is_sentence = res[:5]
        box = res[5] if len(res) > 5 else None
        if bool(targets) == want_empty or len(targets) > MAX_TARGETS:
            continue
        if len(think) + len(answer_tokens(targets)) + 2 > MAX_CHAIN_TOKENS:
            continue
        return q, think, left_to_right(targets), steps, is_sentence, box, fam.__name__[4:]
    return None


def make_sample(rng, noise_seed=None, empty_rate=0.15):
    """One sample; retries until the scene and a question fit. noise_seed=None gives a clean image."""
    while True:
        scene = render_scene(rng)
        if scene is None:
            continue
        img, shapes = scene
        made = make_question(rng, shapes, rng.random() < empty_rate)
        if made is None:
            continue
        q, think, targets, steps, is_sentence, box, fam = made
        chain = ["<think>"] + think + ["</think>"] + answer_tokens(targets)
        if noise_seed is not None:
            img = add_noise(img, noise_seed)
        return Sample(img, q, chain, [t.visible for t in targets], [t.box() for t in targets],
                      difficulty_of(steps, len(targets), len(shapes)), fam, is_sentence, box)


def make_scene_questions(rng, n_questions, noise_seed=None, empty_rate=0.15):
    """Several questions about one scene (training shares the vision pass between them)."""
    while True:
        scene = render_scene(rng)
        if scene is None:
            continue
        img, shapes = scene
        out = []
        for _ in range(n_questions * 3):
            if len(out) == n_questions:
                break
            made = make_question(rng, shapes, rng.random() < empty_rate)
            if made is None:
                continue
            q, think, targets, steps, is_sentence, box, fam = made
            chain = ["<think>"] + think + ["</think>"] + answer_tokens(targets)
            out.append(Sample(None, q, chain, [t.visible for t in targets], [t.box() for t in targets],
                              difficulty_of(steps, len(targets), len(shapes)), fam, is_sentence, box))
        if not out:
            continue
        if noise_seed is not None:
            img = add_noise(img, noise_seed)
        layout = [s.cell() + (s.colour, s.kind, s.size) for s in shapes]
        for s in out:
            s.image, s.layout = img, layout
        return out


# ------------------------------------------------------------------------------------------- vocabulary

def vocabulary():
    """All word tokens the templates can produce, specials first (id = index)."""
    words = set(COLOURS) | set(KINDS) | set(PLURAL.values()) | set(SIZES) | set(NUMBERS) | set(SUPERLATIVES)
    words |= {f"x{i}" for i in range(SIZE // GRID)} | {f"y{i}" for i in range(SIZE // GRID)}
    words |= {w for v in VERBS for w in v} | {"is"} | {w for r in RELATIONS.values() for w in r[0]}
    words |= set(". , : ? ! ; ' \" ( )".split())
    words |= set("""i look for the there are none that not remove remain candidates is first find it then
        than bigger smaller with same as colour kind its so other box holds shape in this and all of if more
        segment otherwise count do part second shape shapes at a an what which""".split())
    return SPECIAL_TOKENS + sorted(words)


PUNCT = ".,:?!;'\"()"


def tokenize(text):
    """Lower-case word tokenizer: whitespace split, each punctuation character is its own token."""
    out = []
    for piece in text.lower().split():
        word = ""
        for ch in piece:
            if ch in PUNCT:
                if word:
                    out.append(word)
                    word = ""
                out.append(ch)
            else:
                word += ch
        if word:
            out.append(word)
    return out


def detokenize(words):
    text = ""
    for w in words:
        text += w if (w in PUNCT and text) else (" " + w if text else w)
    return text


if __name__ == "__main__":
    rng = random.Random(0)
    vocab = set(vocabulary())
    for k in range(12):
        s = make_sample(rng)
        print(f"[{s.family} d={s.difficulty}] {detokenize(s.question)}  box={s.box_input}")
        print("   ", " ".join(s.chain))
        assert all(w in vocab for w in s.question + s.chain), [w for w in s.question + s.chain if w not in vocab]
