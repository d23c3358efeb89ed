"""The API documents a service serves: OpenAPI JSON and a Swagger UI page made of the app's own files.

The stock render plugins load their scripts from CDNs and start them with inline scripts; this
network reaches no CDN and the pages' Content-Security-Policy forbids inline scripts. So the page
here loads Swagger UI (vendored from npm into ``shared/ui/static/vendor/swagger-ui``) and a small
starter script (``js/openapi.js``) from the service's own static files, and names the spec's address
in a data attribute.
"""

from __future__ import annotations

from html import escape
from typing import Any

from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin


class SwaggerPage(OpenAPIRenderPlugin):
    """Swagger UI for the service's OpenAPI document, at ``<schema path>/``."""

    def __init__(self, *, static_path: str, title: str, path: str = "/") -> None:
        super().__init__(path=path, favicon="", style="")
        self.static_path = static_path
        self.title = title

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        static = self.static_path
        spec_url = escape(self.get_openapi_json_route(request), quote=True)
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(self.title)}</title>
  <link rel="icon" href="{static}/img/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="{static}/vendor/swagger-ui/swagger-ui.css">
</head>
<body>
  <main><div id="swagger-ui" data-spec-url="{spec_url}"></div></main>
  <noscript><p>This page needs JavaScript. The document itself:
    <a href="{spec_url}">{spec_url}</a></p></noscript>
  <script src="{static}/vendor/swagger-ui/swagger-ui-bundle.js"></script>
  <script src="{static}/js/openapi.js"></script>
</body>
</html>
""".encode()
