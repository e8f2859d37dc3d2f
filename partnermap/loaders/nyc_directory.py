"""Placeholder replaced by the loader for this format."""

FORMAT = "nyc_directory"


def sniff(first_line: str) -> bool:
    return False


def load(path, context):  # type: ignore[no-untyped-def]
    raise NotImplementedError
