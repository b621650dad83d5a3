"""Accuracy metrics of the OCR benchmark: character error rate, orientation, skew, blank.

Pure functions of strings and numbers, imported by bench/ocr_bench.py and checked by
scripts/pagegen_selftest.py. No state; safe to use from any thread.
"""

import re
import unicodedata

import numpy as np

_WHITESPACE = re.compile(r"\s+")


def normalise(text):
    """The text compared by CER: Unicode NFC, every whitespace run (spaces, tabs, line and
    page breaks) as one space, stripped at both ends. Nothing else is changed: case,
    punctuation and ligatures count."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def levenshtein(a, b):
    """Edit distance (insertions, deletions, substitutions, each 1) between two strings.
    One numpy pass per character of the longer string: the row recurrence
    d[j] = min(t[j], d[j-1] + 1) is a running minimum of t[j] - j, plus j."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    codes = np.array([ord(c) for c in b], dtype=np.int64)
    steps = np.arange(len(b) + 1, dtype=np.int64)
    previous = steps.copy()
    current = np.empty_like(previous)
    for i, ca in enumerate(a, 1):
        current[0] = i
        np.minimum(previous[1:] + 1, previous[:-1] + (codes != ord(ca)), out=current[1:])
        current -= steps
        np.minimum.accumulate(current, out=current)
        current += steps
        previous, current = current, previous
    return int(previous[-1])


def cer(recognised, truth):
    """Character error rate: edit distance between the normalised texts divided by the
    length of the normalised truth. None when the truth is empty (CER is undefined there;
    count spurious characters with normalise() instead). Can exceed 1 when the engine adds
    much text."""
    t = normalise(truth)
    if not t:
        return None
    return levenshtein(normalise(recognised), t) / len(t)


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def orientation_error(detected, truth):
    """True when the detected clockwise-to-upright rotation differs from the truth
    (both in degrees, compared modulo 360)."""
    return int(detected) % 360 != int(truth) % 360


def skew_error(detected, truth):
    """Absolute difference of two skew angles in degrees."""
    return abs(float(detected) - float(truth))


def precision_recall(predicted, actual):
    """Precision and recall of a boolean classifier (True = positive, here: blank).
    predicted and actual are equally long sequences of booleans. Precision is None when
    nothing was predicted positive, recall None when nothing is actually positive."""
    assert len(predicted) == len(actual)
    tp = sum(1 for p, a in zip(predicted, actual) if p and a)
    fp = sum(1 for p, a in zip(predicted, actual) if p and not a)
    fn = sum(1 for p, a in zip(predicted, actual) if a and not p)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall
