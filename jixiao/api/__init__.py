"""The REST API (django-ninja, OpenAPI 3, per-user tokens): to come.

It will call the same services and selectors as the HTML views (never the models directly) and
answer a refusal (:class:`~jixiao.common.errors.JixiaoError`) in one JSON shape. It is the top
layer with ``demo``: nothing in the product imports it.
"""
