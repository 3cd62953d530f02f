"""How suggestions are grouped: Chinese word segmentation (jieba) with a domain dictionary,
keyword extraction (TF-IDF) that suggests a declared topic, and near-duplicates by the Jaccard
similarity of their word sets.

The dictionary is built once per process (`analyser()`): the topics' keywords, the resident
categories (people), the matter categories and their keywords (petitions), the volunteer service
kinds, and the names of the regions down to townships. The jieba tokenizer and TF-IDF extractor
used here are private instances, so the dictionary never leaks into another caller of jieba.

A suggestion's words (`tokens`) and its cluster are stored when it is written (services), so
grouping a county's month is one GROUP BY over stored columns, never all pairs in Python.
See docs/decisions/suggestions-0001-grouping.md for the threshold and the candidate window.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from shegong.suggestions.topics import TOPICS

# Two suggestions are near-duplicates when their shingles (content words plus the two-character
# pieces of each word, so "服务差" and "服务很差" still share "服务") overlap by at least this
# share of both together (Jaccard). Chosen on the labelled set of tests/suggestions/corpus.py:
# paraphrases of one request score 0.36 and above, different requests 0.25 and below.
THRESHOLD = 0.3
# Shingles kept per suggestion (the keywords' first).
MAX_TOKENS = 80
KEYWORDS = 8
DICTIONARY_FREQ = 20000  # high enough that a domain word is kept whole by the segmenter
REGION_LEVELS = 4  # region names down to townships (villages are too many and too generic)

STOP_WORDS = frozenset(
    """希望 建议 能否 能不能 可以 一下 问题 情况 现在 非常 没有 有关 部门 有关部门 我们 你们 他们
    这个 那个 这些 那些 还是 就是 已经 因为 所以 但是 而且 如果 或者 以及 经常 总是 很多 太多
    一些 一直 目前 每天 每次 时候 地方 附近 这里 那里 大家 居民 群众 反映 请求 要求 解决 处理
    尽快 及时 加强 增加 不够 比较 特别 真的 感觉 觉得 以后 之前 今年 去年 请问 谢谢 麻烦 方便
    不能 没法 不会 这样 怎么 什么 为什么 多少 几个 一个 两个 有人 的话 还有 另外 其中 社区 小区
    街道 我家 我们家 楼下 门口""".split()
)
_WORD = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")

log = logging.getLogger(__name__)


@dataclass
class Analyser:
    tokenizer: object
    tfidf: object
    keyword_topics: dict[str, set[str]]

    def words(self, text: str) -> list[str]:
        """The content words of a text, in order (no punctuation, stop words or single
        characters)."""
        return [
            w
            for w in self.tokenizer.lcut(text or "")
            if len(w) >= 2 and _WORD.search(w) and w not in STOP_WORDS
        ]

    def keywords(self, text: str) -> list[tuple[str, float]]:
        return self.tfidf.extract_tags(text or "", topK=KEYWORDS, withWeight=True)


def _domain_words() -> set[str]:
    """The platform's own vocabulary: categories, service kinds, topics and place names."""
    from shegong.people.models import Category as ResidentCategory
    from shegong.petitions.models import Category as MatterCategory
    from shegong.regions.models import Region
    from shegong.volunteers.models import ServiceType

    words: set[str] = set()
    for topic in TOPICS:
        words.update(topic.keywords)
        words.add(str(topic.label))
    words.update(ResidentCategory.objects.values_list("name", flat=True))
    for name, keywords in MatterCategory.objects.values_list("name", "keywords"):
        words.add(name)
        words.update(k for k in re.split(r"[,，、\s]+", keywords or "") if k)
    words.update(str(label) for _code, label in ServiceType.choices)
    # Public reference data (the region tree), read once per process for the dictionary.
    for name in Region.objects.filter(level__gte=1, level__lte=REGION_LEVELS).values_list(
        "name", flat=True
    ):
        words.add(name)
        short = re.sub(r"(街道办事处|街道|镇|乡|区|县|市)$", "", name)
        if len(short) >= 2:
            words.add(short)
    return {w.strip() for w in words if w and 2 <= len(w.strip()) <= 20 and " " not in w}


@lru_cache(maxsize=1)
def analyser() -> Analyser:
    """The segmenter with the domain dictionary, built once per process."""
    import jieba
    import jieba.analyse

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in sorted(_domain_words()):
        tokenizer.add_word(word, freq=DICTIONARY_FREQ)
    tfidf = jieba.analyse.TFIDF()
    tfidf.tokenizer = tokenizer
    tfidf.stop_words = set(tfidf.stop_words) | STOP_WORDS
    keyword_topics: dict[str, set[str]] = {}
    for topic in TOPICS:
        for word in topic.keywords:
            keyword_topics.setdefault(word, set()).add(topic.code)
    return Analyser(tokenizer=tokenizer, tfidf=tfidf, keyword_topics=keyword_topics)


def forget() -> None:
    """Build the dictionary again on next use (after categories or regions changed)."""
    analyser.cache_clear()


@dataclass
class Reading:
    tokens: list[str]  # the shingles: distinct content words (keywords first), their bigrams
    keywords: list[str]
    topic: str  # the suggested topic's code, "" when no keyword points to one
    score: float


def read(text: str) -> Reading:
    """Words, keywords and the suggested topic of one suggestion's text."""
    a = analyser()
    weighted = a.keywords(text)
    scores: dict[str, float] = {}
    for word, weight in weighted:
        for code in a.keyword_topics.get(word, ()):
            scores[code] = scores.get(code, 0.0) + weight
    words = a.words(text)
    # A keyword the extractor ranked below the top ones still counts, with a small weight.
    for word in set(words):
        for code in a.keyword_topics.get(word, ()):
            scores[code] = scores.get(code, 0.0) + 0.2
    topic, score = "", 0.0
    if scores:
        order = {t.code: i for i, t in enumerate(TOPICS)}
        topic, score = max(scores.items(), key=lambda kv: (kv[1], -order[kv[0]]))
    seen: dict[str, None] = {}
    for word, _w in weighted:
        seen.setdefault(word, None)
    for word in words:
        seen.setdefault(word, None)
    for word in words:
        for i in range(len(word) - 1):
            seen.setdefault(word[i : i + 2], None)
    return Reading(
        tokens=list(seen)[:MAX_TOKENS],
        keywords=[w for w, _ in weighted],
        topic=topic,
        score=round(score, 3),
    )


def jaccard(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def nearest(tokens: set[str], candidates: list[tuple[int, str]]) -> tuple[int | None, float]:
    """The cluster of the most similar candidate (cluster id, stored words) at or above the
    threshold, and its similarity; (None, best) when none is near enough."""
    best_cluster, best = None, 0.0
    for cluster_id, stored in candidates:
        score = jaccard(tokens, set(stored.split()))
        if score > best:
            best_cluster, best = cluster_id, score
    if best >= THRESHOLD:
        return best_cluster, best
    return None, best
