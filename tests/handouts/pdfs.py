"""Reading a handout back the way a person (or a screen reader) would."""

import io

from pypdf import PdfReader


def read_pdf(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    """The PDF's text with the line breaks of its layout folded into spaces."""
    text = " ".join(page.extract_text() for page in read_pdf(data).pages)
    return " ".join(text.split())


def drawing_alts(data: bytes) -> list[str]:
    """The descriptions of the exercise pictures, in order: every figure but the QR code."""
    return [alt for alt in figure_alts(data) if not alt.startswith("QR code")]


def figure_alts(data: bytes) -> list[str]:
    """The alternative texts of the figures, in document order (the PDF is tagged)."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            if kids is not None:
                for kid in kids if isinstance(kids, list) else [kids]:
                    walk(kid)
        elif isinstance(node, list):
            for kid in node:
                walk(kid)

    walk(read_pdf(data).trailer["/Root"]["/StructTreeRoot"])
    return found
