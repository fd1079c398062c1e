"""The "Thing" resource type the store kit runs on: a small Customer-like schema, so a store
is proven without the full spec files."""

from tmf_gateway.domain.resources import ResourceType

SCHEMAS = {
    "Thing": {
        "type": "object",
        "required": ["name"],
        "properties": {
            "id": {"type": "string"},
            "href": {"type": "string"},
            "@type": {"type": "string"},
            "name": {"type": "string"},
            "status": {"type": "string"},
            "rank": {"type": "integer"},
            "vip": {"type": "boolean"},
            "validFor": {"$ref": "#/components/schemas/TimePeriod"},
            "engagedParty": {"$ref": "#/components/schemas/Ref"},
            "relatedParty": {"type": "array", "items": {"$ref": "#/components/schemas/Ref"}},
            "contactMedium": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "mediumType": {"type": "string"},
                        "characteristic": {
                            "type": "object",
                            "properties": {"emailAddress": {"type": "string"}},
                        },
                    },
                },
            },
            "tags": {"type": "array", "items": {"type": "string"}},
        },
    },
    "TimePeriod": {
        "type": "object",
        "properties": {
            "startDateTime": {"type": "string", "format": "date-time"},
            "endDateTime": {"type": "string", "format": "date-time"},
        },
    },
    "Ref": {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string"}, "role": {"type": "string"}},
    },
}

THING = ResourceType(
    kind="thing",
    path="thing",
    type_name="Thing",
    api_root="/tmf-api/test/v4",
    schema="Thing",
    state_field="status",
    indexed={
        "@type": "type",
        "status": "state",
        "validFor.startDateTime": "date",
        "engagedParty.id": "party_id",
        "name": "label",
    },
)
