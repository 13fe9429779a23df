"""Rules kept in a YAML data file, read into a pydantic model with the file's SHA-256 beside them.

The review rules of 节能审查 and the league assessment rules are both read this way, so a bad file is
refused the same way everywhere: the error names the file and the field.
"""

from __future__ import annotations

import hashlib
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from tanfeng.errors import ReferenceDataError, at

__all__ = ["parse_rules"]

_Model = TypeVar("_Model", bound=BaseModel)


def parse_rules(text: str, where: str, model: type[_Model]) -> _Model:
    """``text`` (YAML) as ``model``, with ``sha256`` of the text set; ``where`` names the file in errors.

    Raises
    ------
    ReferenceDataError
        The text is not YAML, not a mapping, or does not fit ``model`` (the field is named).
    """
    try:
        raw = yaml.safe_load(text)
        raw["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return model.model_validate(raw)
    except yaml.YAMLError as exc:
        msg = f"not valid YAML: {exc}"
        raise ReferenceDataError(msg, location=at(where)) from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise ReferenceDataError(err["msg"], location=at(where, field=field or None)) from exc
    except (TypeError, AttributeError) as exc:
        msg = "the rules file must be a mapping"
        raise ReferenceDataError(msg, location=at(where)) from exc
