/// The API's OpenAPI 3.1 document, served at `/api/v1/openapi.json`. Docs/openapi.json is its
/// source; `scripts/embed-openapi` writes it into `OpenAPIDocument+Text.swift` (the binary
/// carries no files), and GnomonServerTests fails when the two differ or when a route of
/// `APIRoutes` is missing from it.
enum OpenAPIDocument {}
