"""Files made from the records or the built site without MkDocs: calendars, feed, directory data,
PDF briefs, sitemaps per language, the 404 pages, the offline app and the offline copy.

Each exporter takes an `ExportContext` (`context.py`) and never imports `mkdocs` nor
`rihla.publish`: the MkDocs adapter (`rihla/publish/outputs.py`) wires them into a build.
"""
