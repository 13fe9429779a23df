"""The catalogue of energy products (China's energy balance table plus hydrogen, methanol and biomass).

Data: ``reference/data/energy/products.csv``. Each product has a stable snake_case id (``raw_coal``,
``natural_gas`` …), its Chinese name and aliases (accepted wherever an id is), the physical dimension its
quantities are measured in (mass, volume or energy) and the unit of its NBS balance-table column.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from tanfeng.errors import Location, ReferenceDataError, UnitError, UnknownProductError
from tanfeng.units import dimension_of, parse_unit

__all__ = ["Dimension", "Product", "catalogue", "check_unit", "get_product", "product_ids"]

Dimension = Literal["mass", "volume", "energy"]

_FILE = "products.csv"


class Product(BaseModel):
    """One energy product of the catalogue.

    Attributes
    ----------
    id
        Stable English id in snake_case (``raw_coal``).
    name_zh
        Chinese name as printed in the NBS energy balance (原煤).
    dimension
        What a physical quantity of the product measures: ``mass`` (t), ``volume`` (m³) or ``energy``.
    balance_unit
        Unit of the product's column in the NBS balance table (万吨, 亿立方米, 亿千瓦时 …), pint syntax.
    fossil
        Whether burning it emits fossil CO2 counted in the inventory.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    name_zh: str
    aliases: tuple[str, ...] = ()
    name_en: str
    category: str
    dimension: Dimension
    balance_unit: str
    fossil: bool
    nbs_column: bool
    note: str = ""


def _data_text(name: str) -> str:
    return resources.files("tanfeng.reference").joinpath("data", "energy", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Product]:
    """Return every product of the catalogue by id (loaded once).

    Raises
    ------
    ReferenceDataError
        If the shipped file is inconsistent (duplicate id or name, unknown dimension).
    """
    products: dict[str, Product] = {}
    rows = list(csv.DictReader(_data_text(_FILE).splitlines()))
    for i, row in enumerate(rows, start=2):
        try:
            product = Product(
                id=row["id"], name_zh=row["name_zh"],
                aliases=tuple(a for a in row["aliases"].split("|") if a),
                name_en=row["name_en"], category=row["category"],
                dimension=row["dimension"],
                balance_unit=row["balance_unit"], fossil=row["fossil"] == "true",
                nbs_column=row["nbs_column"] == "true", note=row["note"],
            )
            parse_unit(product.balance_unit)
        except (ValueError, UnitError) as exc:
            msg = f"bad product row: {exc}"
            raise ReferenceDataError(msg, location=Location(file=_FILE, line=i)) from exc
        if product.id in products:
            msg = f"duplicate product id '{product.id}'"
            raise ReferenceDataError(msg, location=Location(file=_FILE, line=i))
        products[product.id] = product
    return products


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for p in catalogue().values():
        for name in (p.id, p.name_zh, p.name_en, *p.aliases):
            key = name.strip().lower()
            if key in names and names[key] != p.id:
                msg = f"name '{name}' is used by both '{names[key]}' and '{p.id}'"
                raise ReferenceDataError(msg, location=Location(file=_FILE))
            names[key] = p.id
    return names


def product_ids() -> list[str]:
    """Ids of all products, in catalogue order."""
    return list(catalogue())


def get_product(name: str, *, where: Location | None = None) -> Product:
    """Find a product by id, Chinese name, alias or English name (case-insensitive).

    Parameters
    ----------
    name
        ``raw_coal``, ``原煤``, ``Raw coal`` …
    where
        Where the name was read (file, row, field), quoted in the error.

    Raises
    ------
    UnknownProductError
        If no product has that name; the message lists the ids and Chinese names.
    """
    pid = _names().get(str(name).strip().lower())
    if pid is None:
        known = ", ".join(f"{p.id} ({p.name_zh})" for p in catalogue().values())
        msg = f"unknown energy product '{name}'"
        raise UnknownProductError(msg, location=where, hint=f"known products: {known}")
    return catalogue()[pid]


def check_unit(product: Product, unit: str, *, where: Location | None = None, allow_heat: bool = True) -> Any:
    """Check that ``unit`` fits the product and return the parsed pint unit.

    A fuel measured by mass accepts mass units (t, 万吨), a gas accepts volumes (m³, 万立方米), electricity and
    heat accept energy units (kWh, GJ). With ``allow_heat`` a fuel also accepts energy units, read as its
    heat content on a net-calorific-value basis (GJ, TJ, tce).

    Parameters
    ----------
    product
        The product the quantity is of.
    unit
        The unit, in Chinese or pint syntax.
    where
        Where the unit was read, quoted in the error.
    allow_heat
        Accept energy units for fuels (heat content).

    Raises
    ------
    UnitError
        If the unit is unknown or measures something the product is not measured in (m³ of raw coal).
    """
    try:
        parsed = parse_unit(unit)
        dim = dimension_of(unit)
    except UnitError as exc:
        raise UnitError(exc.message, location=where, hint=exc.hint) from exc
    allowed = {product.dimension} | ({"energy"} if allow_heat else set())
    if dim not in allowed:
        ok = " or ".join(sorted(allowed))
        msg = f"unit '{unit}' ({dim}) does not fit {product.id} ({product.name_zh}), which is measured by {ok}"
        raise UnitError(msg, location=where, hint=f"give {product.id} in {product.balance_unit} or another {product.dimension} unit")
    return parsed
