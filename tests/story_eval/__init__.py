"""A labelled same-story evaluation with hard negatives (see corpus.py and docs/near-duplicates.md)."""
