"""Student-controlled text, cut to a fixed size where records are made.

Anything that can carry text a submission chose (a grader message quoting a
value, an exception message, a cell error, a file name) goes through
``bounded`` once, when the record is made, so a 60 MB string in a notebook
costs the batch a few kilobytes, never its memory, its JSON or its feedback.
"""
MAX_MESSAGE_CHARS = 2000        # one test's message, one cell error
MAX_NAME_CHARS = 300            # a submission's path or id as shown


def bounded(text, limit=MAX_MESSAGE_CHARS):
    """``text`` as printable one-line-per-line text of at most ~``limit`` characters.

    Control characters (terminal escapes, NULs) become '?', newlines stay; a
    cut is marked: "... [cut: 59,999,000 more characters]".
    """
    if not isinstance(text, str):
        text = str(text)
    head = text[: limit + 1]
    head = "".join(ch if ch.isprintable() or ch == "\n" else "?" for ch in head)
    if len(text) <= limit:
        return head
    return f"{head[:limit]}... [cut: {len(text) - limit:,} more characters]"
