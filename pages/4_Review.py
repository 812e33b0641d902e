"""Review: the rows the extractor is least sure of, one at a time (logic in ui/review.py)."""
from __future__ import annotations

import streamlit as st

from ui import review
from ui.errors import page_errors

st.set_page_config(page_title="troopmap · Review", page_icon="✅", layout="wide")
with page_errors("The Review page"):
    review.page()
