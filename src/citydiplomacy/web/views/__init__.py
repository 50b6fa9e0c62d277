"""View data for the web shell: one builder per page, shared by the HTML page and its JSON twin.

Builders call services and return dataclasses; they never render HTML, and routes never
compute what a page shows.
"""
