/// The API's OpenAPI 3.1 document, served at `/api/v1/openapi.json`. Docs/openapi.json is the
/// same text (a test checks it), so the document users read is the one the server serves.
enum OpenAPIDocument {
    static let text = #"""
    {"openapi": "3.1.0", "info": {"title": "Gnomon", "version": "1"}, "paths": {}}
    """#
}
