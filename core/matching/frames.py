"""pandas, as the engine uses it: import it from here (``from core.matching.frames
import pd``), so the setting below holds wherever a frame is built and
nothing that needs no frame pays for importing pandas.

pandas 3 stores inferred strings as Arrow arrays by default. The engine
works on many small frames of text (the single-record check derives two
profile frames per query), where that default costs a fixed overhead per
operation: the check at 1M records took 73 ms a query instead of 33-40 ms
with plain Python strings (median of 60 queries, same machine). Until the
hot paths stop going through pandas, keep pandas 2's behaviour; the option
exists through pandas 3.x, and requirements.txt pins pandas < 4.
"""

import warnings

import pandas as pd

__all__ = ["pd"]

if pd.__version__.split(".")[0] == "3":
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pd.set_option("future.infer_string", False)
