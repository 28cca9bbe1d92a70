"""Pickle an exception the way Dask ships it: with its whole cause chain.

``distributed`` installs ``tblib.pickling_support`` at import, after which every
exception pickles with its ``__cause__``/``__context__`` and traceback. These
helpers do the same on a private pickler, leaving the process's pickling alone.
"""

from __future__ import annotations

import copyreg
import io
import pickle
import types

from tblib import pickling_support


def _chain(err: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    todo: list[BaseException] = [err]
    while todo:
        current = todo.pop()
        if any(current is seen for seen in found):
            continue
        found.append(current)
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return found


def pickled_with_chain(err: BaseException) -> str:
    """The bytes (as latin-1 text) of ``err`` pickled with its chain and tracebacks."""
    table = copyreg.dispatch_table.copy()
    for exc in _chain(err):
        table[type(exc)] = pickling_support.pickle_exception
    table[types.TracebackType] = pickling_support.pickle_traceback
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer)
    pickler.dispatch_table = table
    pickler.dump(err)
    return buffer.getvalue().decode("latin-1")
