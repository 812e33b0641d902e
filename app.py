"""troopmap — the entry point: names the pages and runs the one the user asked for.

    streamlit run app.py

Home (pages/0_Home.py) adds and checks articles; Map, Charts and Articles read the library; Review
(pages/4_Review.py) walks through the rows the extractor is least sure of.
"""
import streamlit as st

import ui.preload  # noqa: F401  (first: the libraries every page needs, loaded once with the collector paused)

pages = [
    st.Page("pages/0_Home.py", title="Home", default=True),
    st.Page("pages/1_Map.py", title="Map", url_path="Map"),
    st.Page("pages/2_Charts.py", title="Charts", url_path="Charts"),
    st.Page("pages/3_Articles.py", title="Articles", url_path="Articles"),
    st.Page("pages/4_Review.py", title="Review", url_path="Review"),
]
st.navigation(pages).run()
