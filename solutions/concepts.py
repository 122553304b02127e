"""Concept questions: reason about real outputs, then write down your answer.

Each question below is a constant. Replace ``None`` with your answer: a choice letter
(``"a"``, ``"b"``, …) or a number. Where a question is about a real output, run the code and
look: that is the point. ``pytest autograder`` grades them with the rest of your work; a
wrong answer's line names the idea and the section to reread, never the answer.

Example: a question "How many bytes does UTF-8 use for 'é'? (a number)" would be answered as

    UTF8_BYTES_E_ACUTE = 2
"""

# --- MVU 1: tokenize a sentence with BPE and explain how a word splits ----------------------

# Q1. GPT-2's tokenizer (tiktoken "gpt2") reads " unbelievably" (with the space in front, as in
#     the middle of a sentence) as ONE token. How many tokens does it use for "unbelievably"
#     at the very start of a text, with no space before it? (a number)
GPT2_TOKENS_NO_LEADING_SPACE = 4  # EXERCISE: GPT2_TOKENS_NO_LEADING_SPACE = None

# Q2. Encode "Great match 🎾🔥!" to ids and decode the ids back. Which tokenizer gives the
#     exact text back?   a) GPT-2 byte-level BPE only   b) BERT uncased WordPiece only
#     c) both   d) neither
LOSSLESS_ON_EMOJI = "a"  # EXERCISE: LOSSLESS_ON_EMOJI = None

# Q3. How many tokens does BERT uncased WordPiece produce for "abc🙂def"
#     (no special tokens)? (a number)
BERT_TOKENS_FOR_ABC_EMOJI_DEF = 1  # EXERCISE: BERT_TOKENS_FOR_ABC_EMOJI_DEF = None

# --- MVU 2: distinguish static from contextual embeddings ----------------------------------

# Q4. "I sat on the river bank." and "I opened a bank account." Which representation gives
#     "bank" the same vector in both sentences?
#     a) GloVe   b) all-MiniLM-L6-v2's last-layer token vector   c) both   d) neither
SAME_VECTOR_FOR_BANK = "a"  # EXERCISE: SAME_VECTOR_FOR_BANK = None

# Q5. Inside all-MiniLM-L6-v2, the first thing that happens to "bank" is a lookup in the input
#     embedding matrix (embeddings.word_embeddings). Is the row it looks up the same in both
#     sentences of Q4?   a) yes   b) no
INPUT_EMBEDDING_ROW_SAME = "a"  # EXERCISE: INPUT_EMBEDDING_ROW_SAME = None

# Q6. With GloVe 6B 50d, over ALL words (the three input words included), which word is nearest
#     by cosine to king − man + woman (unit vectors, as gensim combines them)?
#     a) queen   b) king   c) woman   d) princess
NEAREST_TO_KING_MINUS_MAN_PLUS_WOMAN = "b"  # EXERCISE: NEAREST_TO_KING_MINUS_MAN_PLUS_WOMAN = None

# --- MVU 3: use cosine similarity, and explain why not Euclidean distance ------------------

# Q7. Query q = (1, 0); candidates A = (4, 1) and B = (0.6, 0.5). Which candidate does each
#     measure pick as q's nearest neighbour?
#     a) both pick A   b) both pick B   c) cosine picks A, Euclidean picks B
#     d) cosine picks B, Euclidean picks A
COSINE_VS_EUCLIDEAN_PICK = "c"  # EXERCISE: COSINE_VS_EUCLIDEAN_PICK = None

# Q8. Two unit-length vectors have cosine similarity 0.8. What is the squared Euclidean
#     distance between them? (a number)
SQUARED_DISTANCE_AT_COSINE_08 = 0.4  # EXERCISE: SQUARED_DISTANCE_AT_COSINE_08 = None

# Q9. Raw (unnormalised) GloVe 6B 50d vectors, candidates = the 50,000 most frequent words.
#     By cosine, the nearest word to "paris" is "france". Which word is nearest by Euclidean
#     distance?   a) france   b) amsterdam   c) london   d) berlin
EUCLIDEAN_NEAREST_TO_PARIS = "b"  # EXERCISE: EUCLIDEAN_NEAREST_TO_PARIS = None

# --- MVU 4: pick an embedding model for a task (use the book's model table) ----------------

# Q10. An FAQ bot: questions arrive in German, French and Japanese; the answers are in English.
#      a) all-MiniLM-L6-v2   b) multilingual-e5-small   c) CodeBERT   d) CLIP ViT-B/32
MODEL_FOR_MULTILINGUAL_FAQ = "b"  # EXERCISE: MODEL_FOR_MULTILINGUAL_FAQ = None

# Q11. Search a code base with natural-language questions ("where do we parse dates?").
#      a) all-MiniLM-L6-v2   b) multilingual-e5-small   c) jina-embeddings-v2-base-code
#      d) averaged GloVe vectors
MODEL_FOR_CODE_SEARCH = "c"  # EXERCISE: MODEL_FOR_CODE_SEARCH = None

# Q12. Flag duplicate questions on an English forum, fast, on a laptop CPU.
#      a) all-MiniLM-L6-v2   b) CLIP ViT-B/32   c) CodeBERT   d) jina-embeddings-v2-base-code
MODEL_FOR_ENGLISH_DUPLICATES = "a"  # EXERCISE: MODEL_FOR_ENGLISH_DUPLICATES = None

# Q13. You must embed 5,000-token documents with all-MiniLM-L6-v2 without losing any text, so
#      you cut each into chunks the model reads whole. At least how many chunks per document?
#      (a number; read the model's maximum input length from the model itself)
MIN_CHUNKS_FOR_5000_TOKENS = 20  # EXERCISE: MIN_CHUNKS_FOR_5000_TOKENS = None
