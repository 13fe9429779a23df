"""``tanfeng energy``: Energy conversions to standard coal (GB/T 2589)."""

from __future__ import annotations

import typer

from tanfeng.cli.output import FORMAT_OPTION, OutputFormat, emit
from tanfeng.errors import UnitError
from tanfeng.services import accounting as service
from tanfeng.units import dimension_of

__all__ = ["app", "convert_cmd"]

app = typer.Typer(help="Energy conversions to standard coal (GB/T 2589).", no_args_is_help=True)


@app.command("convert")
def convert_cmd(
    value: float = typer.Argument(..., help="Quantity consumed."),
    unit: str = typer.Argument(..., help="Its unit: t, 万吨, m³, 万立方米, kWh, 万千瓦时, GJ …"),
    product: str = typer.Argument(..., help="Energy product id or Chinese name: raw_coal, 原煤, natural_gas …"),
    to: str = typer.Option("tce", "--to", help="Standard-coal unit of the result: tce, kgce, 万吨标准煤."),
    electricity: str = typer.Option("equivalent", "--electricity",
                                    help="Electricity: equivalent (当量值, 0.1229 kgce/kWh) or equal (等价值)."),
    supply_coal_rate: float | None = typer.Option(None, "--supply-coal-rate",
                                                  help="For --electricity equal: the year's supply coal rate, gce/kWh."),
    lhv: float | None = typer.Option(None, "--lhv", help="Measured lower heating value (overrides the default)."),
    lhv_unit: str | None = typer.Option(None, "--lhv-unit", help="Unit of --lhv (default kJ/kg, kJ/m³ for gases)."),
    variant: str = typer.Option("", "--variant", help="Table row below the product, e.g. gas_field natural gas."),
    fmt: OutputFormat = FORMAT_OPTION,
) -> None:
    """Convert a quantity of an energy product to standard coal."""
    if electricity not in ("equivalent", "equal"):
        msg = f"--electricity must be 'equivalent' or 'equal', not '{electricity}'"
        raise UnitError(msg)
    if dimension_of(to) != "energy":
        msg = f"--to '{to}' is not a standard-coal unit"
        raise UnitError(msg, hint="use tce, kgce or 万吨标准煤")
    data = service.conversion_detail(value, unit, product, to=to,
                                     electricity="equal" if electricity == "equal" else "equivalent",
                                     supply_coal_rate=supply_coal_rate, lhv=lhv, lhv_unit=lhv_unit, variant=variant)
    if fmt is OutputFormat.json:
        emit(data, fmt)
        return
    emit({k: data[k] for k in ("product", "input_value", "input_unit", "value", "unit", "coefficient",
                               "coefficient_unit", "method", "source")}, fmt)
