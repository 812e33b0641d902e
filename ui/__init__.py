"""The dashboard's shared code. Pages stay thin: they call extract/ and storage/ and lay out widgets.

common     Streamlit side: cached database and models, the example article, filters sidebar, exports
figures    pydeck map and plotly charts from a DataFrame (no Streamlit import: bench and tests use it)
tables     headcount allocation (each figure counted once), largest moves, display columns
filtering  the sidebar's filters as a pure function
editing    checking and saving what a person changed in the deployment editor
highlight  the article as escaped HTML with its evidence marked
export     CSV, GeoJSON and GeoPackage of a table (geopandas)
timeline   the steps of the Map's replay by date
example    the example article and its committed rows (stored on a first launch without spaCy)
land       the maps' country polygons, simplified ahead and committed (data/countries.map.json, .preview.json)
sources    the reports of one movement side by side; the movements behind a clicked arc or bar
review     the Review page's queue, row and decisions
preload    the libraries every page needs, loaded once per server with the garbage collector paused
"""
