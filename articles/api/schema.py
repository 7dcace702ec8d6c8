"""The OpenAPI document's additions: `fields=`, and every error as a problem document."""

import re

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from .problems import MEDIA_TYPE


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The query parameter.")
    reason = serializers.CharField(help_text="What is wrong with it, in plain words.")


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 Problem Details."""

    type = serializers.CharField(help_text="A URI naming the kind of problem (docs/api.md).")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    invalid_params = InvalidParamSerializer(many=True, required=False)


# Every endpoint may answer these; `problem_codes` on a view adds more (404, 410).
COMMON_PROBLEMS = ("400", "401", "429")


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "articles.api.access.PartnerKeyAuthentication"
    name = "partnerKey"
    # A key is optional: without one, a request is a reader's.
    optional = True

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A partner key from the newsroom (higher limits only).",
        }


class AutoSchema(SpectacularAutoSchema):
    def get_operation_id(self):
        """From the view's name: StoryListView → story_list."""
        name = type(self.view).__name__.removesuffix("View")
        return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()

    def _is_list_view(self, serializer=None):
        # Paginated views are lists; detail views (and search, which pages itself
        # and says so) have no paginator.
        return getattr(self.view, "pagination_class", None) is not None

    def get_filter_backends(self):
        # Search filters though it is not a paginated list.
        return getattr(self.view, "filter_backends", [])

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        fields = getattr(self.view, "selectable_fields", None)
        if fields:
            parameters.append(
                OpenApiParameter(
                    "fields",
                    str,
                    description="Comma-separated names of the fields to return: "
                    + ", ".join(sorted(fields)),
                )
            )
        parameters += getattr(self.view, "schema_parameters", [])
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in (*COMMON_PROBLEMS, *getattr(self.view, "problem_codes", ())):
            responses[code] = self._get_response_for_code(ProblemSerializer, code, [MEDIA_TYPE])
        return responses
