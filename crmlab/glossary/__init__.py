"""One glossary for every column and label the course shows, in zh and en.

Computation returns frames with stable English column names; display relabels
them. ``relabel(frame, lang="zh")`` (or ``frame.pipe(glossary.zh)``) renames
columns and index names and relabels coded values (``VALUES``: segment codes,
strategies, ...); ``label(key, lang)`` gives one label for a plot axis.
Unknown keys are left as they are, so a new column never breaks a display.

>>> import pandas as pd
>>> from crmlab import glossary
>>> glossary.label("customer_id", "zh")
'客户编号'
>>> list(pd.DataFrame({"customer_id": [1], "amount": [9.5]}).pipe(glossary.zh).columns)
['客户编号', '金额（元）']

Modules: ``_data`` (``TERMS`` and ``VALUES``: the words, grouped by chapter; add a
new column's names there) and ``_lookup`` (the functions that read them).
"""

from __future__ import annotations

from crmlab.glossary._data import (
    TERMS,
    VALUES,
)
from crmlab.glossary._lookup import (
    en,
    label,
    relabel,
    value_label,
    zh,
)

__all__ = [
    "TERMS",
    "VALUES",
    "en",
    "label",
    "relabel",
    "value_label",
    "zh",
]
