"""The general articles of the conventions: shipped text, adjusted per académie by a file in the data folder.

The shipped text is `resources/conventions/articles.toml` (one set for PFMP and STS stages, one for the séquence
d'observation). A coordinator adjusts it for the académie by putting `conventions/articles.toml` in PoleDesk's
data folder (the one `--data-dir` names) with only what changes:

- an article with the same `id` replaces the shipped one (title and text);
- an article with a new `id` is added after the others, or after the article named by `after`;
- an article with `omit = true` is removed;
- `title`, `subtitles`, `preamble`, `preamble_by_audience`, `follow_up` and `attestation` replace the shipped ones.

An article may be kept to some audiences: `audiences = ["seconde_gt"]`. A broken override file stops the printing
with a French message (ArticlesError) rather than printing the shipped text the académie meant to replace.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from poledesk import paths
from poledesk.data.errors import DocumentError

SHIPPED = "conventions/articles.toml"
OVERRIDE = Path("conventions") / "articles.toml"     # inside the data folder
TEMPLATES = ("pfmp", "observation")
_REPLACED_KEYS = ("title", "subtitles", "preamble", "preamble_by_audience", "follow_up", "attestation")


class ArticlesError(DocumentError):
    """The académie's articles file cannot be used; the message is French."""


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    title: str
    text: str
    audiences: tuple[str, ...] = ()       # empty: every audience of the template


@dataclass(frozen=True, slots=True)
class TemplateText:
    title: str
    subtitles: dict[str, str]
    preamble: tuple[str, ...]
    preamble_by_audience: tuple[tuple[tuple[str, ...], str], ...]
    follow_up: str
    attestation: str
    articles: tuple[Article, ...]

    def articles_for(self, audience: str) -> tuple[Article, ...]:
        return tuple(a for a in self.articles if not a.audiences or audience in a.audiences)

    def preamble_for(self, audience: str) -> tuple[str, ...]:
        return self.preamble + tuple(text for audiences, text in self.preamble_by_audience if audience in audiences)


@dataclass(frozen=True, slots=True)
class Articles:
    version: str
    source: str                           # "PoleDesk" or the override file's path
    templates: dict[str, TemplateText]

    def template(self, name: str) -> TemplateText:
        return self.templates[name]


def override_file(folder: Path) -> Path:
    return folder / OVERRIDE


def load_articles(folder: Path | None = None) -> Articles:
    """The shipped articles, adjusted by `folder`/conventions/articles.toml when that file exists."""
    override = override_file(folder) if folder is not None else None
    if override is None or not override.is_file():
        return _shipped()
    stat = override.stat()
    return _with_override(str(override), stat.st_mtime_ns, stat.st_size)


@cache
def _shipped() -> Articles:
    raw = _read(paths.resource(SHIPPED), shipped=True)
    return Articles(str(raw.get("version", "")), "PoleDesk", {name: _template(raw[name]) for name in TEMPLATES})


@cache
def _with_override(file: str, _mtime: int, _size: int) -> Articles:
    # Cached per (file, mtime, size): a batch reads the file once, an edited file is read again.
    shipped_raw = _read(paths.resource(SHIPPED), shipped=True)
    override = _read(Path(file), shipped=False)
    unknown = sorted(set(override) - set(TEMPLATES) - {"version"})
    if unknown:
        raise ArticlesError(f"Fichier des articles « {file} » : section inconnue « {unknown[0]} » (attendu : "
                            "pfmp ou observation).")
    templates = {name: _template(_merge(shipped_raw[name], override.get(name, {}), file)) for name in TEMPLATES}
    version = str(override.get("version", shipped_raw.get("version", "")))
    return Articles(version, file, templates)


def _read(file: Path, *, shipped: bool) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        where = "livré avec PoleDesk" if shipped else "de l'académie"
        raise ArticlesError(f"Le fichier des articles {where} (« {file} ») est illisible : {error}. "
                            "Corrigez-le ou retirez-le ; aucune convention n'a été éditée.") from error


def _merge(shipped: dict[str, Any], override: dict[str, Any], file: str) -> dict[str, Any]:
    merged = dict(shipped)
    for key in _REPLACED_KEYS:
        if key in override:
            merged[key] = override[key]
    articles = [dict(a) for a in shipped.get("articles", [])]
    for change in override.get("articles", []):
        if not isinstance(change, dict) or not change.get("id"):
            raise ArticlesError(f"Fichier des articles « {file} » : chaque article doit avoir un « id ».")
        ids = [a["id"] for a in articles]
        if change.get("omit"):
            articles = [a for a in articles if a["id"] != change["id"]]
        elif change["id"] in ids:
            articles[ids.index(change["id"])].update(change)
        elif change.get("after") in ids:
            articles.insert(ids.index(change["after"]) + 1, dict(change))
        else:
            articles.append(dict(change))
    merged["articles"] = articles
    return merged


def _template(raw: dict[str, Any]) -> TemplateText:
    try:
        articles = tuple(Article(str(a["id"]), str(a["title"]).strip(), str(a["text"]).strip(),
                                 tuple(a.get("audiences", ()))) for a in raw["articles"])
        by_audience = tuple((tuple(p["audiences"]), str(p["text"]).strip())
                            for p in raw.get("preamble_by_audience", ()))
        return TemplateText(title=str(raw["title"]).strip(), subtitles=dict(raw.get("subtitles", {})),
                            preamble=tuple(str(p).strip() for p in raw.get("preamble", ())),
                            preamble_by_audience=by_audience, follow_up=str(raw.get("follow_up", "")).strip(),
                            attestation=str(raw.get("attestation", "")).strip(), articles=articles)
    except (KeyError, TypeError) as error:
        raise ArticlesError(f"Fichier des articles : rubrique obligatoire manquante ({error}) ; un article a un "
                            "« id », un « title » et un « text ».") from error
