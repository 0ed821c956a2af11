"""Assertions shared by the test modules."""


def one_line_error(excinfo, *parts) -> str:
    """The error is one line and names every part given (file, line, column, problem)."""
    text = str(excinfo.value)
    assert "\n" not in text, text
    for part in parts:
        assert part in text, f"{part!r} not in {text!r}"
    return text
