"""Tokenization: byte-level BPE as GPT-2 defines it, trained and applied from scratch.

A ladder, in this order: split text into pre-tokens with GPT-2's regex (special tokens
come out whole); count adjacent pairs of symbols over a table of pre-token counts; merge
one pair inside one pre-token; choose the pair to merge next (the most frequent; among
equal counts the lexicographically greatest pair, compared as a tuple of bytes); train a
BPE vocabulary; show how one word splits, merge by merge; and a tokenizer that encodes
text to ids (all at once, or lazily from an iterable of lines) and decodes ids to text.
Built from GPT-2's own vocabulary and merges, ``BPETokenizer`` gives exactly the ids of
tiktoken's ``gpt2`` encoding.

Symbols are ``bytes``: a pre-token starts as its UTF-8 bytes, one symbol per byte, so no
text is ever unknown. A vocabulary is ``dict[int, bytes]`` (id -> token) and the merges
are ``list[tuple[bytes, bytes]]`` in the order they were learned, as ``train_bpe`` returns
them. Merges never cross a pre-token boundary, and special tokens such as
``<|endoftext|>`` are never split and never merged.

Provided, nothing to implement: ``BPETokenizer.save`` and ``BPETokenizer.from_files``,
which write and read GPT-2's file format (``vocab.json`` and ``merges.txt``, each byte
printed as a visible character), the files Hugging Face ``tokenizers`` also reads. Left
out on purpose: any parallelism.

Grade this chapter with:  pytest autograder/test_tokenization.py
"""
from __future__ import annotations

import json
from pathlib import Path

import regex  # noqa: F401  (the GPT-2 pattern needs \p{L}, which the re module lacks)

from tokemb import assets

# GPT-2's pre-tokenizer: contractions, optional space + letters, optional space + digits,
# optional space + other symbols, runs of whitespace (leaving the last space to the next word).
GPT2_PATTERN = r"""'(?:[sdmt]|ll|ve|re)| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


def pretokenize(text: str, special_tokens=()) -> list[str]:
    """Split ``text`` into pre-tokens with GPT-2's regex; special tokens come out whole.

    A pre-token is a word with its leading space (" world"), a run of digits, a run of
    punctuation, a contraction ("'s") or a run of whitespace. BPE never merges across two
    pre-tokens. Special tokens are cut out first and returned as one piece each; the longest
    special wins where two overlap. Joining the pieces gives back ``text``.

    Example:
        >>> pretokenize("Hello world, it's 2024!")
        ['Hello', ' world', ',', ' it', "'s", ' 2024', '!']
        >>> pretokenize("tokenization-aware")
        ['tokenization', '-', 'aware']
        >>> pretokenize("a<|endoftext|>b", special_tokens=["<|endoftext|>"])
        ['a', '<|endoftext|>', 'b']

    Raises:
        TypeError: if ``text`` is not a str.
    """
    raise NotImplementedError("pretokenize is not implemented yet: cut out the special tokens first, then "
                              "split the rest with GPT2_PATTERN")


def count_pairs(word_counts: dict) -> dict:
    """Count adjacent symbol pairs over pre-tokens, each weighted by how often it occurs.

    ``word_counts`` maps a pre-token, as a tuple of byte strings, to its count in the corpus.
    A pair appearing twice in a word that occurs 3 times counts 6.

    Example:
        >>> count_pairs({(b"l", b"o", b"w"): 5, (b"l", b"o", b"o", b"p"): 2})
        {(b'l', b'o'): 7, (b'o', b'w'): 5, (b'o', b'o'): 2, (b'o', b'p'): 2}
    """
    raise NotImplementedError("count_pairs is not implemented yet: for each word, add its count to every "
                              "adjacent (left, right) pair")


def merge_pair(word: tuple, pair: tuple) -> tuple:
    """Replace every occurrence of ``pair`` in ``word`` by the joined symbol, left to right.

    Occurrences do not overlap: in ``aaa``, merging (a, a) gives (aa, a), never (a, aa).

    Example:
        >>> merge_pair((b"l", b"o", b"w", b"e", b"r"), (b"o", b"w"))
        (b'l', b'ow', b'e', b'r')
        >>> merge_pair((b"a", b"a", b"a"), (b"a", b"a"))
        (b'aa', b'a')
    """
    raise NotImplementedError("merge_pair is not implemented yet: walk the word left to right and join "
                              "each occurrence of the pair (occurrences do not overlap)")


def best_pair(pair_counts: dict) -> tuple:
    """The pair to merge next: the most frequent; among equal counts, the greatest pair.

    "Greatest" compares pairs as tuples of bytes: first symbols, then second symbols.
    This tie rule makes training deterministic, so two correct trainers agree exactly.

    Example:
        >>> best_pair({(b"a", b"b"): 3, (b"c", b"d"): 5, (b"b", b"c"): 5})
        (b'c', b'd')
        >>> best_pair({(b"e", b"s"): 4, (b"es", b"t"): 4, (b"e", b"t"): 4})
        (b'es', b't')

    Raises:
        ValueError: if there are no pairs.
    """
    raise NotImplementedError("best_pair is not implemented yet: the highest count wins; among equal "
                              "counts, the greatest pair")


def train_bpe(text: str, vocab_size: int, special_tokens=()) -> tuple[dict, list]:
    """Train byte-level BPE on ``text`` until the vocabulary has ``vocab_size`` entries.

    The vocabulary starts as the 256 single bytes (id i is ``bytes([i])``), then the special
    tokens (ids 256, 257, ... in the order given), then one entry per merge, in creation order.
    The text is cut at special tokens (which are not counted), split with :func:`pretokenize`,
    and each pair is counted only inside a pre-token. At each step the most frequent pair is
    merged; among equal counts the lexicographically greatest pair (as a tuple of bytes) wins.
    Training stops early when no pair is left.

    Speed: the largest graded run trains on a text of 2.7 million characters that repeats one
    of 133,000 twenty times (vocab_size 500), and allows 60 s: counting over every occurrence
    takes minutes there, the table of distinct pre-tokens about a second. Count pairs over the
    table of distinct pre-tokens and their counts, not over every occurrence in the text.

    Example:
        >>> vocab, merges = train_bpe("low low low lower lowest", 259)
        >>> merges     # (l, o) and (o, w) both occur 5 times: the greater, (o, w), goes first
        [(b'o', b'w'), (b'l', b'ow'), (b' ', b'low')]
        >>> vocab[256], vocab[258], len(vocab)
        (b'ow', b' low', 259)

    Returns:
        ``(vocab, merges)``: ``vocab`` is ``dict[int, bytes]``, ``merges`` is
        ``list[tuple[bytes, bytes]]``.

    Raises:
        TypeError: if ``text`` is not a str.
        ValueError: if ``vocab_size`` is smaller than 256 + the number of special tokens.
    """
    raise NotImplementedError("train_bpe is not implemented yet: start from the 256 bytes and the "
                              "specials, then repeat: count pairs, pick best_pair, merge it in every word")


def explain_split(word: str, vocab: dict, merges: list) -> list[tuple[bytes, ...]]:
    """How BPE splits one word: its pieces before any merge, then after each merge that changes it.

    ``word`` is one pre-token (one item of :func:`pretokenize`, such as ``" lowest"``);
    ``vocab`` (``dict[int, bytes]``) and ``merges`` (``list[tuple[bytes, bytes]]``, in the
    order learned) are what :func:`train_bpe` returns, or GPT-2's own from
    ``tokemb.assets.gpt2_vocab_and_merges()``. The first step is the word's UTF-8 bytes, one
    piece per byte. Each next step merges the adjacent pair that comes first in ``merges``
    (the lowest *rank*) at every place it occurs, left to right, as :func:`merge_pair` does.
    The last step comes when no adjacent pair is a merge: its pieces are the tokens
    ``BPETokenizer.encode`` gives the word (with GPT-2's files, tiktoken's ``gpt2`` tokens).
    Every piece of every step is an entry of ``vocab``.

    Example:
        >>> vocab, merges = train_bpe("low low low lower lowest", 259)
        >>> for step in explain_split(" lowest", vocab, merges):
        ...     print(step)
        (b' ', b'l', b'o', b'w', b'e', b's', b't')
        (b' ', b'l', b'ow', b'e', b's', b't')
        (b' ', b'low', b'e', b's', b't')
        (b' low', b'e', b's', b't')
        >>> vocab = {i: bytes([i]) for i in range(256)} | {256: b"an", 257: b"ana"}
        >>> explain_split("banana", vocab, [(b"a", b"n"), (b"an", b"a")])  # (a, n) twice in one step
        [(b'b', b'a', b'n', b'a', b'n', b'a'), (b'b', b'an', b'an', b'a'), (b'b', b'an', b'ana')]

    Raises:
        TypeError: if ``word`` is not a str, ``vocab`` is not a dict of bytes, or ``merges``
            is not a list (or tuple) of ``(bytes, bytes)`` tuples.
        ValueError: if ``word`` is empty or more than one pre-token, or a piece (a byte of the
            word, or what a merge makes) is not in ``vocab``.
    """
    raise NotImplementedError("explain_split is not implemented yet: start from the word's bytes, then "
                              "repeatedly merge_pair the adjacent pair that comes first in merges, "
                              "keeping every step")


class BPETokenizer:
    """Encode text to ids and decode ids to text with a byte-level BPE vocabulary and merges.

    ``vocab`` maps id -> bytes and must hold all 256 single bytes; ``merges`` is the list of
    merged pairs in creation order (earlier = higher priority); ``special_tokens`` are
    strings that are never split (each must be in the vocabulary as its UTF-8 bytes).
    To encode, each pre-token starts as its bytes and the pair with the earliest merge is
    merged, again and again, until no merge applies. With GPT-2's vocabulary and merges
    (``tokemb.assets.gpt2_vocab_and_merges()``) the ids equal tiktoken's ``gpt2``.

    The attributes ``vocab``, ``merges`` and ``special_tokens`` keep what was passed in (as a
    dict, a list and a list): the provided :meth:`save` writes them to GPT-2's files, and
    :meth:`from_files` reads such files back.

    Example:
        >>> vocab, merges = train_bpe("low low low lower lowest", 259)
        >>> tok = BPETokenizer(vocab, merges)
        >>> tok.encode(" lowest")
        [258, 101, 115, 116]
        >>> tok.decode([258, 101, 115, 116])
        ' lowest'

    Raises:
        ValueError: if a single byte is missing from ``vocab``, a merge's parts or result is
            not in it, or a special token is not in it.
    """

    def __init__(self, vocab: dict, merges: list, special_tokens=None):
        """Keep the vocabulary, merges and special tokens, rank the merges, prepare the splitter.

        Example:
            >>> BPETokenizer({i: bytes([i]) for i in range(256)}, []).encode("hi")
            [104, 105]
        """
        raise NotImplementedError("BPETokenizer.__init__ is not implemented yet: keep vocab, merges and "
                                  "special_tokens as attributes (save() reads them), a map bytes -> id, "
                                  "and each merge's rank")

    def encode(self, text: str) -> list[int]:
        """The ids of ``text``: special tokens whole, every other pre-token by BPE.

        Speed: the grader encodes 40,000 different made-up words (so no cache of pre-tokens
        helps) with GPT-2's 50,000 merges and allows 60 s: going through the list of merges
        for every pre-token takes minutes there, rank lookups about a second. Look up the rank
        of each adjacent pair instead of going through the whole list of merges for every
        pre-token.

        Example:
            >>> vocab = {i: bytes([i]) for i in range(256)} | {256: b"hi"}
            >>> BPETokenizer(vocab, [(b"h", b"i")]).encode("hi!")
            [256, 33]

        Raises:
            TypeError: if ``text`` is not a str.
        """
        raise NotImplementedError("BPETokenizer.encode is not implemented yet: split with pretokenize, "
                                  "then in each pre-token merge the lowest-rank pair until none applies")

    def encode_iterable(self, lines):
        """Yield the ids of ``"".join(lines)``, reading ``lines`` one at a time (a generator).

        ``lines`` is any iterable of str: a list, a generator, or a text file (whose lines keep
        their ``"\\n"``). The ids are exactly those of ``encode("".join(lines))``, yet only about
        one line is held in memory, so a file larger than memory can be encoded. Encoding line
        by line would give other ids: a pre-token can run across a line break (the pre-tokens of
        ``"a\\n\\n\\nb"`` are ``"a"``, ``"\\n\\n"``, ``"\\n"``, ``"b"``, and ``"\\n\\n"`` is one
        GPT-2 token).

        How: keep a buffer. Add the next line, pre-tokenize the buffer, yield the ids of every
        pre-token but the last two (each pre-token encoded alone, as ``encode`` does; do not
        pre-tokenize their joined text again) and keep those two for the next round, because
        the next line can still change them: a buffer that ends in ``"\\n"`` may go on with
        ``"\\n"`` (``"\\n\\n"`` is one pre-token), and one that ends in ``"'l"`` (two
        pre-tokens, ``"'"`` and ``"l"``) with ``"l"`` (``"'ll"`` is one). Where the buffer ends
        with the beginning of a special token (``"<|endo"``), keep that end too. At the end,
        encode what is left.

        Example:
            >>> vocab = {i: bytes([i]) for i in range(256)} | {256: b"\\n\\n"}
            >>> tok = BPETokenizer(vocab, [(b"\\n", b"\\n")])
            >>> lines = ["a\\n", "\\n", "\\n", "b"]
            >>> list(tok.encode_iterable(lines)), tok.encode("".join(lines))
            ([97, 256, 10, 98], [97, 256, 10, 98])
            >>> [tok.encode(line) for line in lines]   # line by line: other ids
            [[97, 10], [10], [10], [98]]

        Raises:
            TypeError: if a line is not a str.
        """
        raise NotImplementedError("BPETokenizer.encode_iterable is not implemented yet: keep a buffer; "
                                  "after each line yield the ids of all its pre-tokens but the last two, "
                                  "and keep those two")

    def decode(self, ids) -> str:
        """The text of ``ids``: their bytes joined and read as UTF-8 (invalid bytes become "�").

        Example:
            >>> tok = BPETokenizer({i: bytes([i]) for i in range(256)}, [])
            >>> tok.decode([104, 105]), tok.decode([0xE2, 0x82])   # half of "€" is not UTF-8
            ('hi', '�')

        Raises:
            TypeError: if an id is not an int.
            ValueError: if an id is not in the vocabulary.
        """
        raise NotImplementedError("BPETokenizer.decode is not implemented yet: join the ids' bytes and "
                                  "read them as UTF-8 (invalid bytes become U+FFFD); reject unknown ids")

    # ----------------------------------------------------------------------- provided

    def save(self, directory) -> tuple[Path, Path]:
        """Write ``vocab.json`` and ``merges.txt`` into ``directory`` in GPT-2's file format
        (provided, nothing to implement); return the two paths.

        GPT-2's files print every byte as a visible character
        (``tokemb.assets.gpt2_bytes_to_unicode()``: the space byte is ``"Ġ"``, the newline
        ``"Ċ"``). ``vocab.json`` maps each token, so printed, to its id; ``merges.txt`` starts
        with the line ``#version: 0.2``, then has one merge per line, its two tokens printed the
        same way and separated by a space. GPT-2's own ``encoder.json`` and ``vocab.bpe`` are
        these two files, and Hugging Face ``tokenizers`` (``models.BPE.from_file``) and
        ``transformers`` read them. Special tokens are saved as entries of the vocabulary; give
        them again to :meth:`from_files`.

        Example:
            >>> import tempfile
            >>> tok = BPETokenizer(*train_bpe("low low low lower lowest", 259))
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     vocab_path, merges_path = tok.save(folder)
            ...     print(merges_path.read_text(encoding="utf-8"), end="")
            ...     print(BPETokenizer.from_files(vocab_path, merges_path).encode(" lowest"))
            #version: 0.2
            o w
            l ow
            Ġ low
            [258, 101, 115, 116]

        Raises:
            ValueError: if two ids have the same bytes (``vocab.json`` gives each token one id).
        """
        char = assets.gpt2_bytes_to_unicode()  # byte -> its printable character

        def printed(token: bytes) -> str:
            return "".join(char[b] for b in token)

        ids: dict[str, int] = {}  # printed token -> id
        for i, token in sorted(self.vocab.items()):
            if printed(token) in ids:
                raise ValueError(f"ids {ids[printed(token)]} and {i} are both {token!r}; "
                                 "vocab.json gives each token one id")
            ids[printed(token)] = i
        folder = Path(directory)
        folder.mkdir(parents=True, exist_ok=True)
        vocab_path, merges_path = folder / "vocab.json", folder / "merges.txt"
        # One line, non-ASCII characters escaped: for GPT-2's vocabulary, its encoder.json byte for byte.
        vocab_path.write_text(json.dumps(ids), encoding="utf-8")
        lines = ["#version: 0.2"] + [f"{printed(a)} {printed(b)}" for a, b in self.merges]
        merges_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return vocab_path, merges_path

    @classmethod
    def from_files(cls, vocab_path, merges_path, special_tokens=()):
        """A tokenizer from a ``vocab.json`` and a ``merges.txt`` in GPT-2's file format
        (provided, nothing to implement), as :meth:`save` writes them.

        GPT-2's own files, ``tokemb.assets.gpt2_bpe_files()``, load this way too, and so do
        the files of other byte-level BPE tokenizers (RoBERTa's, for instance). The first line
        of ``merges.txt`` is skipped if it starts with ``#version``.

        Example:
            >>> tok = BPETokenizer.from_files(*assets.gpt2_bpe_files(), special_tokens=["<|endoftext|>"])
            >>> tok.encode("Hello world<|endoftext|>")
            [15496, 995, 50256]

        Raises:
            ValueError: if a token has a character that stands for no byte, or a line of
                ``merges.txt`` is not two tokens separated by a space (and as the constructor does).
        """
        byte = {c: b for b, c in assets.gpt2_bytes_to_unicode().items()}  # printable character -> byte

        def token(printed: str, where: str) -> bytes:
            unknown = [c for c in printed if c not in byte]
            if unknown:
                raise ValueError(f"{where}: the token {printed!r} has {unknown[0]!r}, which stands for no byte")
            return bytes(byte[c] for c in printed)

        ids = json.loads(Path(vocab_path).read_text(encoding="utf-8"))
        vocab = {i: token(printed, str(vocab_path)) for printed, i in ids.items()}
        merges = []
        for n, line in enumerate(Path(merges_path).read_text(encoding="utf-8").splitlines(), start=1):
            if not line or (n == 1 and line.startswith("#version")):
                continue
            parts = line.split(" ")
            if len(parts) != 2:
                raise ValueError(f"{merges_path}, line {n}: expected two tokens separated by one space, got {line!r}")
            merges.append((token(parts[0], f"{merges_path}, line {n}"), token(parts[1], f"{merges_path}, line {n}")))
        return cls(vocab, merges, special_tokens)
