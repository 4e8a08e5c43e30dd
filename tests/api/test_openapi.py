"""The schema served at ``/api/schema/`` is a valid OpenAPI 3 document."""

from openapi_spec_validator import OpenAPIV30SpecValidator
from rest_framework.test import APIClient


def test_the_schema_is_valid_openapi(db):
    """Every error the validator finds is listed, not only the first."""
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.0")
    errors = [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in OpenAPIV30SpecValidator(schema).iter_errors()
    ]
    assert errors == []
