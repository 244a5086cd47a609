"""The handout as a PDF: render with WeasyPrint, cache by version and content.

WeasyPrint takes most of a second to import, so it is imported only when a PDF
is made: loading the URLs (every `manage.py` start, every worker) stays quick.

`served_handout(prescription)` is the one entry point (the handout views and the
REST API call it, and log where the copy came from); `handout_pdf` is its bytes
alone. Both raise `EmptyHandoutError` for a program without exercises and
`HandoutRenderError` when WeasyPrint fails.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import mimetypes
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.template.loader import get_template, render_to_string
from django.utils import translation

from prescriptions.models import Prescription

from . import grids
from .handout import (
    PATIENT,
    THERAPIST,
    EmptyHandoutError,
    HandoutError,
    HandoutRenderError,
    handout_context,
    handout_filename,
)
from .stored import FOLDER as STORED_FOLDER
from .stored import delete_stored, handout_storage

__all__ = [
    "EmptyHandoutError",
    "HandoutError",
    "HandoutRenderError",
    "handout_filename",
    "handout_html",
    "handout_pdf",
    "html_to_pdf",
    "render_handout",
    "served_handout",
    "store_pdf",
    "stored_pdf",
]

logger = logging.getLogger(__name__)

TEMPLATE = "handouts/handout.html"
STYLESHEET = Path(__file__).resolve().parent / "static" / "handouts" / "handout.css"
# An unchanged version is served from the cache; a week keeps it warm between visits.
CACHE_SECONDS = 7 * 24 * 60 * 60
# The only data URLs a handout reads: the forms' drawings.
SVG_DATA_URL = "data:image/svg+xml;base64,"
# Uploaded photographs are scaled down to this resolution; more only makes big files.
IMAGE_DPI = 200


@lru_cache(maxsize=1)
def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFileFetcher(URLFetcher):
        """Hands WeasyPrint the static files and uploaded pictures from disk.

        Anything else (http, https, ftp, data other than the forms' SVG drawings, a
        file outside those folders) is refused, so a handout never makes a network
        request and never reads a file it was not meant to.
        """

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith(SVG_DATA_URL):
                # The forms' drawings (handouts.grids): made here, read from the URL.
                svg = base64.b64decode(url[len(SVG_DATA_URL) :], validate=True)
                return URLFetcherResponse(url, svg, {"Content-Type": "image/svg+xml"})
            parts = urlsplit(url)
            if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
                raise ValueError(f"Handouts only read local files, not {url[:80]!r}.")
            path = Path(url2pathname(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in _allowed_roots()):
                raise ValueError(f"{path} is outside the static and media folders.")
            data = _read(path)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, data, {"Content-Type": content_type})

    return LocalFileFetcher


def __getattr__(name: str) -> Any:
    # `LocalFileFetcher` subclasses WeasyPrint's fetcher, so it is built on first use.
    if name == "LocalFileFetcher":
        return _fetcher_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@lru_cache(maxsize=1)
def _fetcher() -> Any:
    # One fetcher per process: it keeps no state between files.
    return _fetcher_class()()


def _allowed_roots() -> tuple[Path, ...]:
    return _resolved_roots(settings.STATIC_ROOT, settings.MEDIA_ROOT)


@lru_cache(maxsize=8)
def _resolved_roots(static_root: Any, media_root: Any) -> tuple[Path, ...]:
    # Resolved once per configuration, not for every file of every handout.
    roots = [static_root, media_root, *_static_dirs()]
    return tuple(Path(root).resolve() for root in roots if root)


def _static_dirs() -> list[str]:
    from django.contrib.staticfiles.finders import get_finders

    dirs = []
    for finder in get_finders():
        for storage in getattr(finder, "storages", {}).values():
            location = getattr(storage, "location", None)
            if location:
                dirs.append(location)
    return dirs


def _read(path: Path) -> bytes:
    stat = path.stat()
    return _read_cached(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=128)
def _read_cached(path: Path, mtime_ns: int, size: int) -> bytes:
    # Keyed by modification time and size, so an edited file is read again.
    return path.read_bytes()


@lru_cache(maxsize=1)
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    # Setting up fontconfig and loading the faces took tens of milliseconds per
    # handout; one configuration per process keeps the fonts loaded between renders.
    return FontConfiguration()


@lru_cache(maxsize=1)
def _stylesheet() -> Any:
    from weasyprint import CSS

    # Parsing the stylesheet is a good part of a small render: do it once per process.
    return CSS(filename=str(STYLESHEET), font_config=_font_config())


# Drawings and photographs parsed once and reused by every handout of the process
# (WeasyPrint's image cache, keyed by URL), with the file stamp each was read at.
_images: dict[str, Any] = {}
_image_stamps: dict[str, str] = {}
# More distinct pictures than this (uploaded photographs of many clinics): start over.
IMAGES_KEPT = 200


def _image_cache(context: dict[str, Any]) -> dict[str, Any]:
    """The shared image cache, without the pictures of `context` whose file changed
    on disk since they were read."""
    global _images, _image_stamps
    if len(_image_stamps) > IMAGES_KEPT:
        # New dictionaries, not cleared ones: a render under way keeps its own.
        _images, _image_stamps = {}, {}
    for item in context["items"]:
        url, stamp = item["drawing_url"], _file_stamp(item["drawing_path"])
        if url and _image_stamps.get(url) != stamp:
            _images.pop(url, None)
            _image_stamps[url] = stamp
    return _images


@lru_cache(maxsize=1)
def _layout_version() -> str:
    """Changes when the template or the stylesheet changes, so a deploy that
    alters the layout does not serve PDFs made with the old one."""
    template = Path(get_template(TEMPLATE).origin.name).read_bytes()
    return hashlib.sha256(template + STYLESHEET.read_bytes()).hexdigest()[:16]


def _file_stamp(path: str) -> str:
    if not path:
        return ""
    try:
        stat = Path(path).stat()
    except OSError:
        return "missing"
    return f"{stat.st_mtime_ns}-{stat.st_size}"


def cache_key(prescription: Prescription, context: dict[str, Any]) -> str:
    """The program version plus a hash of everything the PDF shows."""
    content = {
        "context": {key: value for key, value in context.items() if key != "portal_qr_svg"},
        "drawings": [_file_stamp(item["drawing_path"]) for item in context["items"]],
        "logo": _file_stamp(context["clinic_logo_path"]),
        "layout": _layout_version(),
    }
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()
    return f"handout:{prescription.pk}:v{prescription.version}:{digest[:32]}"


def handout_html(context: dict[str, Any]) -> str:
    """The HTML WeasyPrint renders for a handout context."""
    # The whole document speaks the patient's language, not the requester's.
    with translation.override(context["language"]):
        return render_to_string(TEMPLATE, {**context, **grids.forms(context)})


def render_handout(context: dict[str, Any]) -> bytes:
    """Render a handout context to PDF bytes, without the cache."""
    return html_to_pdf(handout_html(context), context)


def html_to_pdf(html: str, context: dict[str, Any]) -> bytes:
    """PDF bytes of a handout's HTML (or a part of it, as `make bench` measures)."""
    from weasyprint import HTML

    try:
        return HTML(string=html, url_fetcher=_fetcher()).write_pdf(
            # Tagged: screen readers get the reading order, the language and the
            # drawings' descriptions, for a few per cent more rendering time.
            stylesheets=[_stylesheet()],
            font_config=_font_config(),
            cache=_image_cache(context),
            dpi=IMAGE_DPI,
            pdf_tags=True,
        )
    except Exception as exc:
        raise HandoutRenderError("The PDF renderer failed.") from exc


def _stored_name(key: str) -> str:
    return f"{STORED_FOLDER}/" + key.replace(":", "-") + ".pdf"


def stored_pdf(key: str) -> bytes | None:
    """The PDF the background worker rendered for this key, if it is there."""
    name = _stored_name(key)
    storage = handout_storage()
    try:
        if not storage.exists(name):
            return None
        with storage.open(name, "rb") as stored:
            return stored.read()
    except Exception:
        # Whatever the store answers (a full disk, an object store that is down and
        # raises its client's own errors), the reader gets a render instead.
        logger.warning("Could not read a stored handout.", exc_info=True)
        return None


# Where a download's bytes came from: the cache, the copy the worker stored, or a
# render made while the reader waited (then stored for the next one).
CACHED = "cache"
STORED = "stored"
RENDERED = "rendered"


@dataclass(frozen=True)
class Variant:
    """One copy of a handout someone can ask for."""

    reader: str
    large_print: bool
    language: str


def handout_variants(prescription: Prescription) -> list[Variant]:
    """Every copy of this program version a patient, a therapist or a clinic system can
    download: the therapist's copy and the patient's in the patient's language (the
    handout page), the patient's in each language the API offers (`lang`), each in
    normal and in large print (`size`)."""
    patient = prescription.patient
    own = patient.preferred_language or settings.LANGUAGE_CODE
    variants = []
    for large_print in (patient.large_print, not patient.large_print):
        variants.append(Variant(PATIENT, large_print, own))
        variants.append(Variant(THERAPIST, large_print, own))
        variants.extend(
            Variant(PATIENT, large_print, code) for code, _name in settings.LANGUAGES if code != own
        )
    return variants


def store_pdf(prescription: Prescription) -> bool:
    """Render every copy of this program version anyone can download
    (`handout_variants`) into file storage, unless it is there already; False when
    nothing needed rendering. The worker calls it when a program is activated (a
    revision is the activation of a new version), so no download waits for
    WeasyPrint. The patient's other stored copies are then removed (see
    `_prune_stored`)."""
    storage = handout_storage()
    rendered = False
    kept = set()
    for variant in handout_variants(prescription):
        context = handout_context(
            prescription,
            large_print=variant.large_print,
            reader=variant.reader,
            language=variant.language,
        )
        name = _stored_name(cache_key(prescription, context))
        kept.add(name)
        if storage.exists(name):
            continue
        storage.save(name, ContentFile(render_handout(context)))
        rendered = True
    _prune_stored(prescription, kept)
    return rendered


def _prune_stored(prescription: Prescription, kept: set[str]) -> int:
    """Delete the stored copies of this patient's handouts other than `kept`: earlier
    versions of the program, and copies of this one made before what it shows changed.
    Nobody is served those (a download renders them again), and without this every
    activation would leave two more files behind for good. Returns how many went."""
    programs = Prescription.objects.filter(patient_id=prescription.patient_id).values_list(
        "pk", flat=True
    )
    return delete_stored(programs=programs, keep=kept)


def handout_pdf(
    prescription: Prescription,
    *,
    large_print: bool = False,
    reader: str = PATIENT,
    language: str = "",
) -> bytes:
    """The handout of this program version as PDF bytes (see `served_handout`).

    Raises EmptyHandoutError (no exercises) or HandoutRenderError (renderer failure).
    """
    return served_handout(
        prescription, large_print=large_print, reader=reader, language=language
    ).pdf


@dataclass(frozen=True)
class Served:
    pdf: bytes
    source: str  # CACHED, STORED or RENDERED


def served_handout(
    prescription: Prescription,
    *,
    large_print: bool = False,
    reader: str = PATIENT,
    language: str = "",
) -> Served:
    """The handout of this program version and where it came from: the cache, else the
    copy the worker rendered when the program was activated, else rendered now (and,
    for the active version, stored for the next download). The key covers everything
    the PDF shows, so a changed program never gets a stale copy.

    `large_print`, `reader` and `language` are those of `handout_context`.
    Raises EmptyHandoutError (no exercises) or HandoutRenderError (renderer failure).
    """
    context = handout_context(
        prescription, large_print=large_print, reader=reader, language=language
    )
    key = cache_key(prescription, context)
    try:
        pdf = cache.get(key)
    except Exception:
        # A cache server that is down must not stop a patient getting their handout.
        logger.warning("Handout cache unavailable; rendering without it.", exc_info=True)
        return _stored_or_rendered(prescription, key, context)
    if pdf is not None:
        return Served(pdf, CACHED)
    served = _stored_or_rendered(prescription, key, context)
    try:
        cache.set(key, served.pdf, CACHE_SECONDS)
    except Exception:
        logger.warning("Could not store a handout in the cache.", exc_info=True)
    return served


def _stored_or_rendered(prescription: Prescription, key: str, context: dict[str, Any]) -> Served:
    pdf = stored_pdf(key)
    if pdf is not None:
        return Served(pdf, STORED)
    pdf = render_handout(context)
    # Only the version in use: a draft or an ended version would only be deleted again
    # (at the next activation, by the retention job).
    if prescription.status == Prescription.Status.ACTIVE:
        try:
            handout_storage().save(_stored_name(key), ContentFile(pdf))
        except Exception:
            # The copy is a head start; the reader has the PDF all the same.
            logger.warning("Could not store a handout rendered on download.", exc_info=True)
    return Served(pdf, RENDERED)
