"""Every answer of the local mesh checked against botocore's output shapes: after botocore has
parsed a successful response, its value must meet the operation's output shape, recursively:
required members present, types as modelled, enum values among the model's, string and list
lengths within their bounds. The check runs on every call of the local suite (registered on boto3's
default session), and the operations it saw are recorded, so the suite can require that every
operation the local mesh serves was answered at least once."""
import datetime
import json
import os

import boto3

_seen = set()


def _problems(shape, value, path):
    kind = shape.type_name
    if value is None:
        return []
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected a structure, got {type(value).__name__}"]
        out = []
        for name in shape.required_members:
            if name not in value:
                out.append(f"{path}.{name}: required member missing")
        for name, member in shape.members.items():
            if name in value:
                out += _problems(member, value[name], f"{path}.{name}")
        return out
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list, got {type(value).__name__}"]
        out = []
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None and len(value) < low:
            out.append(f"{path}: {len(value)} entries, fewer than the model's min {low}")
        if high is not None and len(value) > high:
            out.append(f"{path}: {len(value)} entries, more than the model's max {high}")
        for i, v in enumerate(value):
            out += _problems(shape.member, v, f"{path}[{i}]")
        return out
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected a map, got {type(value).__name__}"]
        out = []
        for k, v in value.items():
            out += _problems(shape.key, k, f"{path}<key {k}>")
            out += _problems(shape.value, v, f"{path}[{k}]")
        return out
    if kind == "string":
        # botocore's IAM customization decodes policy documents into dicts after parsing.
        if shape.name == "policyDocumentType" and isinstance(value, dict):
            return []
        if not isinstance(value, str):
            return [f"{path}: expected a string, got {type(value).__name__}"]
        enum = shape.enum
        # A failed batch entry echoes the request as it was sent, refused values included.
        if enum and value not in enum and ".RequestEntry." not in path:
            return [f"{path}: {value!r} is not one of the model's values {enum}"]
        return []
    if kind in ("integer", "long"):
        return [] if isinstance(value, int) and not isinstance(value, bool) else [f"{path}: expected an integer, got {value!r}"]
    if kind in ("double", "float"):
        return [] if isinstance(value, (int, float)) and not isinstance(value, bool) else [f"{path}: expected a number, got {value!r}"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: expected a boolean, got {value!r}"]
    if kind == "timestamp":
        return [] if isinstance(value, datetime.datetime) else [f"{path}: expected a timestamp, got {value!r}"]
    if kind == "blob":
        return [] if isinstance(value, (bytes, bytearray)) or hasattr(value, "read") else [f"{path}: expected bytes, got {type(value).__name__}"]
    return []


def _check_others(model, **kwargs):
    # DynamoDB's answers are checked by the handler registered for them alone (see register()).
    if model.service_model.service_name != "dynamodb":
        _check(model=model, **kwargs)


def _check(http_response, parsed, model, **kwargs):
    if http_response is None or http_response.status_code >= 300:
        return
    _seen.add((model.service_model.service_name, model.name))
    if model.output_shape is None:
        return
    answer = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
    problems = _problems(model.output_shape, answer, model.name)
    assert not problems, f"{model.service_model.service_name} {model.name} answer does not meet its output shape: " + \
        "; ".join(problems[:10])


def register():
    """Checks every response of every boto3 client made from the default session from now on."""
    boto3.setup_default_session()
    boto3.DEFAULT_SESSION.events.register("after-call", _check_others)
    # boto3's DynamoDB resource turns AttributeValues into Python values in an "after-call.dynamodb"
    # handler, which runs before the generic ones: DynamoDB's answers are checked ahead of it.
    boto3.DEFAULT_SESSION.events.register_first("after-call.dynamodb", _check)


def operations_served():
    """(botocore service name, operation) of every operation the local mesh serves."""
    spec = json.load(open(os.path.join(os.path.dirname(__file__), "..", "..", "..", "src", "aws", "model", "operations.json")))
    names = {"dynamodbstreams": "dynamodbstreams"}
    out = set()
    for service, entry in spec.items():
        if service.startswith("_"):
            continue
        for op in entry["operations"]:
            out.add((names.get(service, service), op))
    return out


def unseen():
    """Operations the local mesh serves that no test received an answer from."""
    seen = {(s.replace("-", ""), op) for s, op in _seen}
    return sorted(op for op in operations_served() if (op[0].replace("-", ""), op[1]) not in seen)
